#!/usr/bin/env bash
# check_isa_symbols.sh NM ARCHIVE MEMBER...: fails if a weak code symbol (an inline function or a
# template instance, emitted in a COMDAT group) of one of the MEMBERs, the objects compiled with
# target flags of their own (-mavx2, -mavx512f, -mavx512bf16, -ffp-contract=off, ...), is also
# defined by any other object of ARCHIVE. The linker keeps one copy of such a symbol, whichever
# it meets first: if it kept the AVX-512 one, baseline code would run AVX-512 instructions and
# fault on a CPU without them (and the avx512 set could run code built with -mavx512bf16). So
# those objects share no code with the rest: what they share is inlined, or has names of its own
# (vec_avx512.hpp's Avx512F64Of). Data (constants, weak objects) is the same whatever the flags.
set -euo pipefail
nm="$1" archive="$2"
shift 2
# Lines of `nm -A`: ARCHIVE:MEMBER:ADDRESS TYPE NAME (the archive's path has no colon).
listing="$("$nm" -A --defined-only "$archive" | awk '{ n = split($1, p, ":"); print p[n - 1], $2, $3 }')"
for m in "$@"; do
    awk -v m="$m" '$1 == m { found = 1 } END { exit !found }' <<< "$listing" ||
        { echo "check_isa_symbols: $m is not a member of $archive" >&2; exit 2; }
done
# Code symbols: T (global) and W (weak, not an object) in every member.
shared="$(awk -v list="$*" '
    BEGIN { n = split(list, a, " "); for (i = 1; i <= n; i++) isa[a[i]] = 1 }
    $2 == "T" || $2 == "W" { where[$3] = where[$3] " " $1 "(" $2 ")"; count[$3]++; if ($1 in isa && $2 == "W") weak[$3] = 1 }
    END { for (s in weak) if (count[s] > 1) print s "\t" where[s] }' <<< "$listing" | sort)"
weak_count="$(awk -v list="$*" 'BEGIN { n = split(list, a, " "); for (i = 1; i <= n; i++) isa[a[i]] = 1 }
    $1 in isa && $2 == "W" { c++ } END { print c + 0 }' <<< "$listing")"
if [[ -n "$shared" ]]; then
    echo "check_isa_symbols: code of objects with target flags of their own, defined by other objects too:" >&2
    while IFS=$'\t' read -r s where; do echo "  $(c++filt <<< "$s") in:$where" >&2; done <<< "$shared"
    exit 1
fi
echo "check_isa_symbols: $weak_count weak code symbols of $# objects with target flags, each defined once in $(basename "$archive")"
