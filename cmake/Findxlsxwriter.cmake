# Findxlsxwriter
# --------------
# Finds libxlsxwriter (https://libxlsxwriter.github.io), which ships a
# pkg-config file but no CMake package.  Installed next to calibraConfig.cmake
# so that projects using an installed calibra::reports find it the same way.
#
# Defines the imported target xlsxwriter::xlsxwriter and
#   xlsxwriter_FOUND, xlsxwriter_VERSION, xlsxwriter_INCLUDE_DIR, xlsxwriter_LIBRARY
#
# The version is read from xlsxwriter.h (LXW_VERSION): Debian's .pc file
# reports the library's soname ("4") as its version, not the release.

find_package(PkgConfig QUIET)
if(PKG_CONFIG_FOUND)
  pkg_check_modules(PC_xlsxwriter QUIET xlsxwriter)
endif()

find_path(xlsxwriter_INCLUDE_DIR NAMES xlsxwriter.h
          HINTS ${PC_xlsxwriter_INCLUDEDIR} ${PC_xlsxwriter_INCLUDE_DIRS})
find_library(xlsxwriter_LIBRARY NAMES xlsxwriter
             HINTS ${PC_xlsxwriter_LIBDIR} ${PC_xlsxwriter_LIBRARY_DIRS})

if(xlsxwriter_INCLUDE_DIR AND EXISTS "${xlsxwriter_INCLUDE_DIR}/xlsxwriter.h")
  file(STRINGS "${xlsxwriter_INCLUDE_DIR}/xlsxwriter.h" _xlsxwriter_version_line
       REGEX "^#define[ \t]+LXW_VERSION[ \t]+\"[^\"]+\"")
  if(_xlsxwriter_version_line MATCHES "\"([^\"]+)\"")
    set(xlsxwriter_VERSION "${CMAKE_MATCH_1}")
  endif()
  unset(_xlsxwriter_version_line)
endif()

include(FindPackageHandleStandardArgs)
find_package_handle_standard_args(xlsxwriter
  REQUIRED_VARS xlsxwriter_LIBRARY xlsxwriter_INCLUDE_DIR
  VERSION_VAR xlsxwriter_VERSION)
mark_as_advanced(xlsxwriter_INCLUDE_DIR xlsxwriter_LIBRARY)

if(xlsxwriter_FOUND AND NOT TARGET xlsxwriter::xlsxwriter)
  add_library(xlsxwriter::xlsxwriter UNKNOWN IMPORTED)
  set_target_properties(xlsxwriter::xlsxwriter PROPERTIES
    IMPORTED_LOCATION "${xlsxwriter_LIBRARY}"
    INTERFACE_INCLUDE_DIRECTORIES "${xlsxwriter_INCLUDE_DIR}")
  # A static libxlsxwriter needs zlib at link time; the shared one carries it.
  if(xlsxwriter_LIBRARY MATCHES "\\${CMAKE_STATIC_LIBRARY_SUFFIX}$")
    find_package(ZLIB REQUIRED)
    set_property(TARGET xlsxwriter::xlsxwriter APPEND PROPERTY INTERFACE_LINK_LIBRARIES ZLIB::ZLIB)
  endif()
endif()
