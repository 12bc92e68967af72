# ward_apply_warnings(target): the warning set for Ward's own code only.
# Generated ANTLR code and third-party headers never get these flags.
# -Wnull-dereference is left out on purpose: with GCC 12 at -O2 it fires inside
# libstdc++ (vector, optional, rb-tree) depending on inlining decisions, so the
# same code warns in one build type and not another.
function(ward_apply_warnings target)
  target_compile_options(${target} PRIVATE
    -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Wold-style-cast
    -Wcast-align -Wunused -Woverloaded-virtual
    -Wimplicit-fallthrough -Wformat=2)
  if(WARD_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
endfunction()

# ward_library(name SOURCES... DEPS...): one folder, one target.
function(ward_library name)
  cmake_parse_arguments(ARG "" "" "SOURCES;PUBLIC_DEPS;PRIVATE_DEPS" ${ARGN})
  add_library(${name} STATIC ${ARG_SOURCES})
  target_include_directories(${name} PUBLIC ${PROJECT_SOURCE_DIR})
  target_link_libraries(${name} PUBLIC ${ARG_PUBLIC_DEPS} PRIVATE ${ARG_PRIVATE_DEPS})
  ward_apply_warnings(${name})
endfunction()
