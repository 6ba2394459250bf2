# Findminizip
# -----------
# Finds minizip (the unzip/zip library from zlib's contrib directory), which
# ships a pkg-config file but no CMake package.  calibra::io reads XLSX
# workbooks with it; installed next to calibraConfig.cmake so that projects
# using an installed calibra::io find it the same way.
#
# Defines the imported target minizip::minizip (which brings zlib) and
#   minizip_FOUND, minizip_INCLUDE_DIR, minizip_LIBRARY

find_package(PkgConfig QUIET)
if(PKG_CONFIG_FOUND)
  pkg_check_modules(PC_minizip QUIET minizip)
endif()

find_path(minizip_INCLUDE_DIR NAMES unzip.h
          HINTS ${PC_minizip_INCLUDEDIR} ${PC_minizip_INCLUDE_DIRS}
          PATH_SUFFIXES minizip)
find_library(minizip_LIBRARY NAMES minizip
             HINTS ${PC_minizip_LIBDIR} ${PC_minizip_LIBRARY_DIRS})

include(FindPackageHandleStandardArgs)
find_package_handle_standard_args(minizip REQUIRED_VARS minizip_LIBRARY minizip_INCLUDE_DIR)
mark_as_advanced(minizip_INCLUDE_DIR minizip_LIBRARY)

if(minizip_FOUND AND NOT TARGET minizip::minizip)
  find_package(ZLIB REQUIRED)
  add_library(minizip::minizip UNKNOWN IMPORTED)
  set_target_properties(minizip::minizip PROPERTIES
    IMPORTED_LOCATION "${minizip_LIBRARY}"
    INTERFACE_INCLUDE_DIRECTORIES "${minizip_INCLUDE_DIR}"
    INTERFACE_LINK_LIBRARIES ZLIB::ZLIB)
endif()
