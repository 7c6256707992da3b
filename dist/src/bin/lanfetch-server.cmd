@echo off
rem lanfetch-server: serve a directory, read-only, to lanfetch clients. See "lanfetch-server --help".
rem Windows launcher: Java 17 or newer from JAVA_HOME, else java.exe on PATH; the same JVM
rem options as bin/lanfetch-server (LANFETCH_JAVA_OPTS replaces them). Windows names files in UTF-16,
rem so no locale needs forcing; the command writes UTF-8 itself ("chcp 65001" to read it).
rem Arguments go through %* untouched. No class-data archive: JDK 17 cannot make one on the fly.
setlocal
set "OPTS=-XX:+UseSerialGC -Xmx64m -XX:MaxDirectMemorySize=32m -Xss512k"
if defined LANFETCH_JAVA_OPTS set "OPTS=%LANFETCH_JAVA_OPTS%"
if defined JAVA_HOME goto javahome
set "JAVA=java.exe"
where java.exe >nul 2>nul && goto run
echo lanfetch-server: no Java runtime found: install Java 17 or newer, or set JAVA_HOME 1>&2
exit /b 1
:javahome
set "JAVA=%JAVA_HOME%\bin\java.exe"
rem goto, not a parenthesised block: a JAVA_HOME under "Program Files (x86)" would end it.
if exist "%JAVA%" goto run
echo lanfetch-server: JAVA_HOME is %JAVA_HOME%, which has no bin\java.exe: set it to a Java 17 or newer 1>&2
exit /b 1
:run
"%JAVA%" %OPTS% -jar "%~dp0..\lib\lanfetch-server.jar" %*
exit /b %ERRORLEVEL%
