#!/usr/bin/env bash
# The content of one platform jar, softmax4j-<v>-<platform>.jar (java/core/pom.xml packs it with
# that classifier): the platform's libraries, which the native build put in
# CLASSES/org/softmax4j/bridge/<platform>/, the module org.softmax4j.<platform> (made from the two
# templates here) with its service provider, and the jar's legal files. See docs/building.md.
#
#   platform-classes.sh JAVAC PLATFORM CLASSES OUT MODULE_PATH
#
# CLASSES is java/core's target/classes (the module org.softmax4j, natives included), OUT the
# folder to fill, MODULE_PATH the JavaCPP and OpenBLAS jars, main and this platform's.
set -euo pipefail
(($# == 5)) || { echo "usage: $0 JAVAC PLATFORM CLASSES OUT MODULE_PATH" >&2; exit 2; }
javac=$1 platform=$2 classes=$3 out=$4 module_path=$5
here="$(cd "$(dirname "$0")" && pwd)"
module=${platform//-/.}     # linux-x86_64: the module org.softmax4j.linux.x86_64, as JavaCPP names its own
package=${platform//-/_}    # linux-x86_64: the package org.softmax4j.natives.linux_x86_64

natives="$classes/org/softmax4j/bridge/$platform"
for lib in libjnisoftmax4j.so libgomp.so.1 libsoftmax4j_openmp_env.so; do
    [[ -f "$natives/$lib" ]] || { echo "platform-classes: $natives/$lib is not built" >&2; exit 1; }
done

rm -rf "$out" "$out-src"
src="$out-src"
mkdir -p "$src/org/softmax4j/natives/$package" "$out/org/softmax4j/bridge" "$out/META-INF/services"
fill() { sed -e "s/@PLATFORM@/$platform/g" -e "s/@MODULE@/$module/g" -e "s/@PACKAGE@/$package/g" "$1" > "$2"; }
fill "$here/module-info.java.in" "$src/module-info.java"
fill "$here/Natives.java.in" "$src/org/softmax4j/natives/$package/Natives.java"
# -path: the OpenBLAS jar's Class-Path names a javacpp.jar that is not there; -module: the names
# end in digits (x86_64, arm64), as JavaCPP's own platform modules do.
"$javac" --release 17 -Xlint:all,-path,-module -Werror -d "$out" --module-path "$classes:$module_path" \
    "$src/module-info.java" "$src/org/softmax4j/natives/$package/Natives.java"
# On the class path the provider is found through the services file instead.
echo "org.softmax4j.natives.$package.Natives" > "$out/META-INF/services/org.softmax4j.natives.PlatformNatives"

cp -r "$natives" "$out/org/softmax4j/bridge/"
cp "$classes/META-INF/LICENSE" "$classes/META-INF/NOTICE" "$out/META-INF/"
cp -r "$classes/META-INF/licenses" "$out/META-INF/"
