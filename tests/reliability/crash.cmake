# Server and database crashes under write load (crash_server.py, crash_database.py): short runs,
# each about a minute with the cluster's set-up and the checks. The recorded full runs (100
# server kills, 20 database crashes) are described in docs/reliability.md ("Server and database crashes").
add_test(NAME reliability_server_crashes_short
         COMMAND /usr/bin/python3 ${CMAKE_CURRENT_SOURCE_DIR}/crash_server.py --kills 5)
set_tests_properties(reliability_server_crashes_short PROPERTIES
  ENVIRONMENT "KANSLI_BINARY=$<TARGET_FILE:kansli>"
  LABELS "reliability"
  TIMEOUT 240)
add_test(NAME reliability_database_crashes_short
         COMMAND /usr/bin/python3 ${CMAKE_CURRENT_SOURCE_DIR}/crash_database.py --crashes 3
                 --max-down 3)
set_tests_properties(reliability_database_crashes_short PROPERTIES
  ENVIRONMENT "KANSLI_BINARY=$<TARGET_FILE:kansli>"
  LABELS "reliability"
  TIMEOUT 240)
