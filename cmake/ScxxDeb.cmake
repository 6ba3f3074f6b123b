# Debian packages with CPack, shared by scxx's own package and scxx_package_scheduler: included by
# ScxxBpf.cmake (installed with it).

# Sets OUT (in the caller) to a Depends field for PACKAGES at no less than the versions installed
# here (what a binary built on this machine was built against), from dpkg-query. Used where
# dpkg-shlibdeps (dpkg-dev) is missing; empty, quietly, on a system without dpkg (no .deb is made
# there), and without a package dpkg does not know, with a warning.
function(_scxx_deb_depends_installed out)
  find_program(_scxx_dpkg_query dpkg-query)
  set(fields "")
  foreach(pkg IN LISTS ARGN)
    if(NOT _scxx_dpkg_query)
      break()
    endif()
    execute_process(COMMAND "${_scxx_dpkg_query}" -W "-f=\${Version}" "${pkg}" OUTPUT_VARIABLE version
                    ERROR_QUIET RESULT_VARIABLE status)
    if(status EQUAL 0 AND version)
      list(APPEND fields "${pkg} (>= ${version})")
    else()
      message(WARNING "scxx: package ${pkg} is not installed (dpkg-query): the .deb will not depend on it")
    endif()
  endforeach()
  list(JOIN fields ", " fields)
  set(${out} "${fields}" PARENT_SCOPE)
endfunction()

# The CPack settings every scxx .deb shares; the caller sets the package's own, then include(CPack).
# Files install for PREFIX through DESTDIR, so that what is computed from the prefix at install time
# (a unit's ExecStart, /etc for /usr) is the installed system's.
macro(_scxx_deb_common prefix)
  set(CPACK_GENERATOR DEB)
  set(CPACK_PACKAGING_INSTALL_PREFIX "${prefix}")
  set(CPACK_INSTALL_PREFIX "${prefix}")
  set(CPACK_SET_DESTDIR ON)
  set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
  set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
endmacro()
