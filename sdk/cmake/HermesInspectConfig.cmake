# find_package(HermesInspect 1 REQUIRED) gives HermesInspect::sdk and
# hermes_inspect_add_plugin().
include(${CMAKE_CURRENT_LIST_DIR}/HermesInspectTargets.cmake)
include(${CMAKE_CURRENT_LIST_DIR}/HermesInspectPlugin.cmake)
