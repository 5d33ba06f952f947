# The settings every BrokenRecord native addon shares. A backend's CMakeLists.txt includes this
# file (scripts pass -DBROKENRECORD_NATIVE_COMMON=<this package's folder>) and calls
# brokenrecord_addon(<target>) after add_library.
#
# - the Node-API build (cmake-js's CMAKE_JS_INC/SRC/LIB, node-addon-api with C++ exceptions)
# - the shared headers: #include <brokenrecord/physics.h> and friends (include/ of this package)
# - a binary that loads without a compiler installed: libstdc++ and libgcc linked statically, and
#   RUNPATH $ORIGIN so a runtime shipped beside the .node (libgomp.so.1 in a prebuilt package)
#   is found before the system's (or instead of it, when the system has none).
get_filename_component(BROKENRECORD_NATIVE_COMMON_INCLUDE "${CMAKE_CURRENT_LIST_DIR}/../include" ABSOLUTE)

function(brokenrecord_addon target)
  cmake_parse_arguments(BR "SANITIZE" "" "" ${ARGN})
  set_target_properties(${target} PROPERTIES PREFIX "" SUFFIX ".node"
    BUILD_RPATH "$ORIGIN" INSTALL_RPATH "$ORIGIN" BUILD_WITH_INSTALL_RPATH ON)
  target_include_directories(${target} PRIVATE ${CMAKE_JS_INC} ${BROKENRECORD_NATIVE_COMMON_INCLUDE})
  target_compile_definitions(${target} PRIVATE NAPI_VERSION=8 NAPI_CPP_EXCEPTIONS)
  target_link_libraries(${target} PRIVATE ${CMAKE_JS_LIB})
  if(CMAKE_SYSTEM_NAME STREQUAL "Linux")
    # RUNPATH (not the older RPATH): LD_LIBRARY_PATH still wins, as users expect.
    target_link_options(${target} PRIVATE -Wl,--enable-new-dtags)
    if(NOT BR_SANITIZE)
      target_link_options(${target} PRIVATE -static-libstdc++ -static-libgcc)
    endif()
  endif()
endfunction()
