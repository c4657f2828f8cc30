# A hung database (hung_database.py): a held row lock, then PostgreSQL frozen with SIGSTOP for
# 20 s under reads and writes; and slow and idle clients (slow_client.py) for 20 s. The recorded
# longer runs are described in docs/reliability.md ("A hung database and slow clients").
add_test(NAME reliability_hung_database_short
         COMMAND /usr/bin/python3 ${CMAKE_CURRENT_SOURCE_DIR}/hung_database.py --freeze-seconds 20
                 --readers 4 --writers 4)
set_tests_properties(reliability_hung_database_short PROPERTIES
  ENVIRONMENT "KANSLI_BINARY=$<TARGET_FILE:kansli>"
  LABELS "reliability"
  TIMEOUT 240)
add_test(NAME reliability_slow_clients_short
         COMMAND /usr/bin/python3 ${CMAKE_CURRENT_SOURCE_DIR}/slow_client.py --seconds 20
                 --idle 50)
set_tests_properties(reliability_slow_clients_short PROPERTIES
  ENVIRONMENT "KANSLI_BINARY=$<TARGET_FILE:kansli>"
  LABELS "reliability"
  TIMEOUT 180)
