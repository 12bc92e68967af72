# ward_apply_warnings(target): the warning set for Ward's own code only.
# Generated ANTLR code and third-party headers never get these flags.
function(ward_apply_warnings target)
  target_compile_options(${target} PRIVATE
    -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Wold-style-cast
    -Wcast-align -Wunused -Woverloaded-virtual -Wnull-dereference
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
