# Scheduler crashes under a simulated clock (crash_scheduler.py): a short run, the clock driven
# for 30 s of wall time, about a minute and a half with the set-up and the checks. The recorded
# 10-minute run is described in docs/reliability.md ("Scheduler crashes").
add_test(NAME reliability_scheduler_crashes_short
         COMMAND /usr/bin/python3 ${CMAKE_CURRENT_SOURCE_DIR}/crash_scheduler.py --seconds 30
                 --cases 120 --span-days 45)
set_tests_properties(reliability_scheduler_crashes_short PROPERTIES
  ENVIRONMENT "KANSLI_BINARY=$<TARGET_FILE:kansli>"
  LABELS "reliability"
  TIMEOUT 180)
