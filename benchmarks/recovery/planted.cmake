# The recovery benchmark's planted-truth generator as a small library, shared
# by the benchmark (benchmarks/CMakeLists.txt) and by the test that checks
# the generator against its own truth (tests/calibration/
# test_recovery_generator.cpp).  Included from both; defined once.
if(NOT TARGET calibra_recovery_planted)
  add_library(calibra_recovery_planted STATIC ${CMAKE_CURRENT_LIST_DIR}/planted.cpp)
  target_include_directories(calibra_recovery_planted PUBLIC ${CMAKE_CURRENT_LIST_DIR})
  target_link_libraries(calibra_recovery_planted PUBLIC calibra::calibra)
  calibra_internal_flags(calibra_recovery_planted)
endif()
