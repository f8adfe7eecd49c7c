if(CMAKE_VERSION VERSION_LESS 3.17)
  message(FATAL_ERROR "hermes_inspect_add_plugin needs CMake 3.17 or newer (CMAKE_CURRENT_FUNCTION_LIST_DIR)")
endif()

# hermes_inspect_add_plugin(NAME SOURCES src... [OUTPUT_DIRECTORY dir] [INSTALL])
#
# Builds NAME.so: a MODULE library with no "lib" prefix (the core requires the
# file name to equal the descriptor's name), hidden visibility and a version
# script so only hermes_inspect_plugin_v1 is exported, linked against
# HermesInspect::sdk only.
# INSTALL puts it in <prefix>/lib/hermes-inspect/plugins, the drop-in directory
# for prefix /usr/local.
function(hermes_inspect_add_plugin name)
  cmake_parse_arguments(PARSE_ARGV 1 HIP "INSTALL" "OUTPUT_DIRECTORY" "SOURCES")
  if(NOT HIP_SOURCES)
    message(FATAL_ERROR "hermes_inspect_add_plugin(${name}): SOURCES is required")
  endif()
  # The core's rule for plugin names, checked here so a name it would refuse
  # fails the build instead of the survey. CMake regexes have no {m,n}.
  string(LENGTH "${name}" name_length)
  if(NOT name MATCHES "^[a-z0-9][a-z0-9._-]*$" OR name_length GREATER 64)
    message(FATAL_ERROR "hermes_inspect_add_plugin(${name}): plugin names are [a-z0-9][a-z0-9._-]{0,63}: "
                        "lower case, at most 64 characters")
  endif()
  add_library(${name} MODULE ${HIP_SOURCES})
  target_link_libraries(${name} PRIVATE HermesInspect::sdk)
  # Static libraries linked in must not leak their symbols into the plugin's
  # dynamic symbol table either.
  target_link_options(${name} PRIVATE -Wl,--exclude-libs,ALL)
  set(map ${CMAKE_CURRENT_FUNCTION_LIST_DIR}/HermesInspectPlugin.map)
  target_link_options(${name} PRIVATE -Wl,--version-script=${map})
  set_property(TARGET ${name} APPEND PROPERTY LINK_DEPENDS ${map})
  set_target_properties(${name} PROPERTIES
    PREFIX ""
    OUTPUT_NAME ${name}
    SUFFIX ".so"
    C_VISIBILITY_PRESET hidden
    CXX_VISIBILITY_PRESET hidden
    VISIBILITY_INLINES_HIDDEN ON)
  if(HIP_OUTPUT_DIRECTORY)
    set_target_properties(${name} PROPERTIES LIBRARY_OUTPUT_DIRECTORY ${HIP_OUTPUT_DIRECTORY})
  endif()
  if(HIP_INSTALL)
    install(TARGETS ${name} LIBRARY DESTINATION lib/hermes-inspect/plugins)
  endif()
endfunction()
