# Runs one command with its output (stdout and stderr, in order) kept in a log file, for the
# Maven build of java/core:
#
#   cmake -DLOG=<file> -DMAVEN_LOG_LEVEL=<n> -P RunLogged.cmake -- <command> [args...]
#
# MAVEN_LOG_LEVEL is Maven's ${session.request.loggingLevel}: 0 debug (-X), 1 info (default),
# 2 warnings, 3 errors only (-q). At 1 or below the output is also shown as it comes; above, it
# is shown only if the command fails, so that `mvn -q` prints nothing on success. Either way
# the whole output is in LOG, and a failure ends with the log's path.
cmake_minimum_required(VERSION 3.18)

if(NOT DEFINED LOG)
    message(FATAL_ERROR "RunLogged.cmake: -DLOG=<file> is required")
endif()
if(NOT DEFINED MAVEN_LOG_LEVEL OR NOT MAVEN_LOG_LEVEL MATCHES "^[0-9]+$")
    set(MAVEN_LOG_LEVEL 1)
endif()

# The command: every argument after "--".
set(command "")
set(seen_separator FALSE)
math(EXPR last "${CMAKE_ARGC} - 1")
foreach(i RANGE 1 ${last})
    if(seen_separator)
        # A semicolon would split the argument in two (CMake lists): escape it.
        string(REPLACE ";" "\\;" argument "${CMAKE_ARGV${i}}")
        list(APPEND command "${argument}")
    elseif(CMAKE_ARGV${i} STREQUAL "--")
        set(seen_separator TRUE)
    endif()
endforeach()
if(NOT command)
    message(FATAL_ERROR "RunLogged.cmake: no command after --")
endif()

get_filename_component(log_dir "${LOG}" DIRECTORY)
file(MAKE_DIRECTORY "${log_dir}")

# The same variable for both streams merges them in the order they were written.
if(MAVEN_LOG_LEVEL GREATER 1)
    execute_process(COMMAND ${command} RESULT_VARIABLE result OUTPUT_VARIABLE output ERROR_VARIABLE output)
else()
    execute_process(COMMAND ${command} RESULT_VARIABLE result OUTPUT_VARIABLE output ERROR_VARIABLE output
                    ECHO_OUTPUT_VARIABLE ECHO_ERROR_VARIABLE)
endif()
file(WRITE "${LOG}" "${output}")

if(NOT result EQUAL 0)
    if(MAVEN_LOG_LEVEL GREATER 1)
        # Verbatim, and on stderr like the message below, so that the two stay in order.
        message("${output}")
    endif()
    list(JOIN command " " shown)
    message(FATAL_ERROR "failed (${result}): ${shown}\nIts output is in ${LOG}")
endif()
