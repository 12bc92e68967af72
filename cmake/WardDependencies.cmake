# Every dependency comes from Debian packages (see Makefile: deps).
find_package(antlr4-runtime REQUIRED CONFIG)
find_package(fmt REQUIRED CONFIG)
find_package(yaml-cpp REQUIRED CONFIG)
find_package(nlohmann_json REQUIRED CONFIG)
find_package(CLI11 CONFIG QUIET)
find_package(OpenSSL REQUIRED)
find_package(Threads REQUIRED)
find_package(ZLIB REQUIRED)
find_package(PkgConfig REQUIRED)
pkg_check_modules(YARA REQUIRED IMPORTED_TARGET yara)
pkg_check_modules(PCRE2 REQUIRED IMPORTED_TARGET libpcre2-8)
find_program(ANTLR4_TOOL NAMES antlr4 REQUIRED)

# The runtime's headers warn under GCC 12; include them as SYSTEM headers.
add_library(ward_antlr_runtime INTERFACE)
if(CMAKE_CXX_COMPILER_ID MATCHES "Clang")
  # Clang rejects misc/InterpreterDataReader.h of the 4.9 runtime (its default
  # constructor uses Vocabulary's deleted one); nothing here needs it. Use a
  # copy of the umbrella header without that include, found first.
  file(READ ${ANTLR4_INCLUDE_DIR}/antlr4-runtime.h WARD_ANTLR_UMBRELLA)
  string(REPLACE "#include \"misc/InterpreterDataReader.h\"" ""
         WARD_ANTLR_UMBRELLA "${WARD_ANTLR_UMBRELLA}")
  file(WRITE ${CMAKE_BINARY_DIR}/antlr4-compat/antlr4-runtime.h "${WARD_ANTLR_UMBRELLA}")
  target_include_directories(ward_antlr_runtime SYSTEM BEFORE INTERFACE
                             ${CMAKE_BINARY_DIR}/antlr4-compat)
endif()
target_include_directories(ward_antlr_runtime SYSTEM INTERFACE ${ANTLR4_INCLUDE_DIR})
if(TARGET antlr4_shared)
  target_link_libraries(ward_antlr_runtime INTERFACE antlr4_shared)
else()
  target_link_libraries(ward_antlr_runtime INTERFACE antlr4-runtime)
endif()
