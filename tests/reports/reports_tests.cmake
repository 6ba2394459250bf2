# Tests of calibra::reports, included from tests/CMakeLists.txt (so that
# calibra_area_tests() globs tests/reports/test_*.cpp in its own scope).
#
#   calibra_tests_reports       Catch2: document builders, escaping, writers, CLI
#   reports: xlsx read back     openpyxl reads the workbook the CLI writes
#   reports: framework workbook openpyxl edits the framework workbook; import reads the edits
#   reports: html checks        html.parser, no external requests, injection
#   reports: html in chromium   headless Chromium screenshot is not blank
#
# The Python checks run the built CLI, so they exist only when it is built;
# each exits 77 (skipped) when its tool (openpyxl, chromium) is missing.
if(NOT TARGET calibra_reports)
  return()
endif()

calibra_area_tests(reports calibra::reports)
if(TARGET calibra_tests_reports AND TARGET calibra_cli)
  add_dependencies(calibra_tests_reports calibra_cli)
endif()

find_program(CALIBRA_REPORTS_PYTHON NAMES python3 PATHS /usr/bin NO_DEFAULT_PATH)
if(TARGET calibra_cli AND CALIBRA_REPORTS_PYTHON)
  set(_reports_checks
    "reports: xlsx read back with openpyxl|check_xlsx.py"
    "reports: framework workbook edited with openpyxl and imported|check_framework_workbook.py"
    "reports: html parses, is self-contained and escapes injection|check_html.py"
    "reports: html renders in headless chromium|check_chromium.py")
  foreach(_check IN LISTS _reports_checks)
    string(REPLACE "|" ";" _parts "${_check}")
    list(GET _parts 0 _name)
    list(GET _parts 1 _script)
    add_test(NAME "${_name}"
             COMMAND ${CALIBRA_REPORTS_PYTHON} ${CMAKE_CURRENT_SOURCE_DIR}/reports/${_script}
                     --cli $<TARGET_FILE:calibra_cli> --source-dir ${PROJECT_SOURCE_DIR}
                     --work-dir ${CMAKE_CURRENT_BINARY_DIR}/reports-work)
    set_tests_properties("${_name}" PROPERTIES SKIP_RETURN_CODE 77 LABELS reports TIMEOUT 300)
  endforeach()
endif()
