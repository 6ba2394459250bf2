# Runs one documentation program and compares what it prints with the
# expected output.  Called by tests/docs/CMakeLists.txt with
#   PROGRAM      the built program
#   EXPECTED     docs/examples/<name>.output (its standard output, exactly)
#   EXIT_STATUS  the exit status the page documents
#   FILES        files it must write, "|"-separated; "!" in front: must not
#   SOURCE_DIR   the source tree (data/ and examples/ are linked from it)
#   SCRATCH      an empty working directory made for the run
# The links go first, so that no removal can reach into the source tree.
macro(clear_scratch)
  file(REMOVE "${SCRATCH}/data" "${SCRATCH}/examples")
  file(REMOVE_RECURSE "${SCRATCH}")
endmacro()
clear_scratch()
file(MAKE_DIRECTORY "${SCRATCH}")
foreach(dir data examples)
  file(CREATE_LINK "${SOURCE_DIR}/${dir}" "${SCRATCH}/${dir}" SYMBOLIC)
endforeach()

execute_process(COMMAND "${PROGRAM}" WORKING_DIRECTORY "${SCRATCH}" OUTPUT_VARIABLE actual
                ERROR_VARIABLE errors RESULT_VARIABLE status)
file(WRITE "${SCRATCH}/actual.output" "${actual}")
if(NOT "${status}" STREQUAL "${EXIT_STATUS}")
  message(FATAL_ERROR "${PROGRAM} ended with '${status}', expected ${EXIT_STATUS}\nstderr:\n${errors}")
endif()

file(READ "${EXPECTED}" expected)
if(NOT actual STREQUAL expected)
  message(FATAL_ERROR "${PROGRAM} printed something else than ${EXPECTED}\n"
                      "(what it printed is in ${SCRATCH}/actual.output)\n--- expected\n${expected}--- printed\n${actual}")
endif()

if(FILES)
  string(REPLACE "|" ";" FILES "${FILES}")
  foreach(file IN LISTS FILES)
    if(file MATCHES "^!(.*)")
      if(EXISTS "${SCRATCH}/${CMAKE_MATCH_1}")
        message(FATAL_ERROR "${PROGRAM} wrote ${CMAKE_MATCH_1}, which it should not")
      endif()
    elseif(NOT EXISTS "${SCRATCH}/${file}")
      message(FATAL_ERROR "${PROGRAM} did not write ${file}")
    endif()
  endforeach()
endif()
clear_scratch()
