# Driver for the consumer tests, run as `cmake -DACTION=... -P run_consumer.cmake`.
#
#   ACTION=install  install CALIBRA_BINARY_DIR into a fresh CONSUMER_PREFIX
#   ACTION=project  configure, build and run the project in CONSUMER_SOURCE_DIR
#                   from a fresh CONSUMER_BINARY_DIR; its executable is named
#                   `consumer` and exits non-zero when a check fails
#
# Every step starts from an empty directory so that a stale tree from an
# earlier run can never make the test pass.
cmake_minimum_required(VERSION 3.21)

# A single-config build without a build type still has to pick one.
if(NOT CONSUMER_BUILD_TYPE)
  set(CONSUMER_BUILD_TYPE Release)
endif()

function(run_step description)
  message(STATUS "consumer: ${description}: ${ARGN}")
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE _status)
  if(NOT _status EQUAL 0)
    message(FATAL_ERROR "consumer: ${description} failed (${_status})")
  endif()
endfunction()

if(ACTION STREQUAL "install")
  file(REMOVE_RECURSE "${CONSUMER_PREFIX}")
  run_step("install" "${CMAKE_COMMAND}" --install "${CALIBRA_BINARY_DIR}"
           --prefix "${CONSUMER_PREFIX}" --config "${CONSUMER_BUILD_TYPE}")
  # The package config must be where find_package looks for it.
  file(GLOB_RECURSE _config "${CONSUMER_PREFIX}/*/calibraConfig.cmake")
  if(NOT _config)
    message(FATAL_ERROR "consumer: no calibraConfig.cmake under ${CONSUMER_PREFIX}")
  endif()
  if(NOT EXISTS "${CONSUMER_PREFIX}/include/calibra/error.hpp")
    message(FATAL_ERROR "consumer: headers missing from ${CONSUMER_PREFIX}/include/calibra")
  endif()

elseif(ACTION STREQUAL "project")
  file(REMOVE_RECURSE "${CONSUMER_BINARY_DIR}")
  set(_configure "${CMAKE_COMMAND}" -S "${CONSUMER_SOURCE_DIR}" -B "${CONSUMER_BINARY_DIR}"
                 -G "${CONSUMER_GENERATOR}"
                 "-DCMAKE_CXX_COMPILER=${CONSUMER_CXX_COMPILER}"
                 "-DCMAKE_BUILD_TYPE=${CONSUMER_BUILD_TYPE}"
                 "-DEXPECTED_CALIBRA_VERSION=${CONSUMER_EXPECTED_VERSION}")
  if(CONSUMER_MAKE_PROGRAM)
    list(APPEND _configure "-DCMAKE_MAKE_PROGRAM=${CONSUMER_MAKE_PROGRAM}")
  endif()
  if(CONSUMER_PREFIX)
    # Only the private prefix: the test must not pick up some other calibra.
    list(APPEND _configure "-DCMAKE_PREFIX_PATH=${CONSUMER_PREFIX}"
                           "-DCMAKE_FIND_USE_PACKAGE_REGISTRY=OFF")
  endif()
  if(CONSUMER_CALIBRA_SOURCE_DIR)
    list(APPEND _configure "-DCALIBRA_SOURCE_TREE=${CONSUMER_CALIBRA_SOURCE_DIR}")
  endif()
  if(CONSUMER_UNOPTIMISED)
    # The nested build's own configuration flags, without optimisation or
    # debug information (see tests/consumer/CMakeLists.txt).
    string(TOUPPER "${CONSUMER_BUILD_TYPE}" _config_upper)
    list(APPEND _configure "-DCMAKE_CXX_FLAGS_${_config_upper}=-O0")
  endif()
  run_step("configure" ${_configure})
  run_step("build" "${CMAKE_COMMAND}" --build "${CONSUMER_BINARY_DIR}"
           --config "${CONSUMER_BUILD_TYPE}" --parallel "${CONSUMER_JOBS}")

  # Single-config generators put the program at the top, multi-config ones
  # in a per-configuration folder.
  set(_program "${CONSUMER_BINARY_DIR}/consumer")
  if(NOT EXISTS "${_program}")
    set(_program "${CONSUMER_BINARY_DIR}/${CONSUMER_BUILD_TYPE}/consumer")
  endif()
  run_step("run" "${_program}")

else()
  message(FATAL_ERROR "run_consumer.cmake: ACTION must be 'install' or 'project', got '${ACTION}'")
endif()
