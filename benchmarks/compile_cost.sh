#!/usr/bin/env bash
# What including and embedding calibra costs a user's build (g++, CPU
# seconds and peak memory per compiler run, median of --runs runs):
#
#   1. a file that includes <Eigen/Dense> alone (the baseline), and one that
#      includes <calibra/calibra.hpp>, both with -fsyntax-only, in the same run;
#   2. the same two with -O2 -c (a real object file);
#   3. the README's embedding example (docs/examples/readme.cpp, the file the
#      README shows) compiled at -O2 and linked against the built libraries of
#      BUILD_DIR.
#
#   benchmarks/compile_cost.sh [--build-dir build] [--runs 3]
#
# Prints one line per measurement and the calibra/Eigen ratio; docs/performance.md
# records a run.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
build_dir=build
runs=3
while [[ $# -gt 0 ]]; do
  case "$1" in
    --build-dir) build_dir=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    *) echo "usage: $0 [--build-dir DIR] [--runs N]" >&2; exit 2 ;;
  esac
done
cxx=${CXX:-g++}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
eigen_flags=(-I/usr/include/eigen3)
flags=(-std=c++17 -Iinclude "${eigen_flags[@]}")

echo '#include <Eigen/Dense>' >"$work/eigen.cpp"
echo '#include <calibra/calibra.hpp>' >"$work/calibra.cpp"

# Median CPU seconds (user + sys) and median peak RSS (MB) over $runs runs.
measure() {
  local label=$1; shift
  local cpu=() mem=()
  for ((i = 0; i < runs; i++)); do
    /usr/bin/time -f '%U %S %M' -o "$work/time" "$@" >/dev/null
    read -r user sys kb <"$work/time"
    cpu+=("$(echo "$user + $sys" | bc)")
    mem+=("$((kb / 1024))")
  done
  local mid=$((runs / 2))
  local c m
  c=$(printf '%s\n' "${cpu[@]}" | sort -g | sed -n "$((mid + 1))p")
  m=$(printf '%s\n' "${mem[@]}" | sort -g | sed -n "$((mid + 1))p")
  printf '%-44s %6.2f s CPU  %5d MB\n' "$label" "$c" "$m"
  echo "$c" >"$work/last_cpu"
}

ratio() { echo "scale=2; $1 / $2" | bc; }

measure "<Eigen/Dense>, -fsyntax-only" "$cxx" "${flags[@]}" -fsyntax-only "$work/eigen.cpp"
eigen_syntax=$(cat "$work/last_cpu")
measure "<calibra/calibra.hpp>, -fsyntax-only" "$cxx" "${flags[@]}" -fsyntax-only "$work/calibra.cpp"
calibra_syntax=$(cat "$work/last_cpu")
echo "  ratio calibra/Eigen (syntax only): $(ratio "$calibra_syntax" "$eigen_syntax")"

measure "<Eigen/Dense>, -O2 -c" "$cxx" "${flags[@]}" -O2 -c "$work/eigen.cpp" -o "$work/eigen.o"
eigen_obj=$(cat "$work/last_cpu")
measure "<calibra/calibra.hpp>, -O2 -c" "$cxx" "${flags[@]}" -O2 -c "$work/calibra.cpp" -o "$work/calibra.o"
calibra_obj=$(cat "$work/last_cpu")
echo "  ratio calibra/Eigen (object file): $(ratio "$calibra_obj" "$eigen_obj")"

example=docs/examples/readme.cpp
libs=("$build_dir/libcalibra_io.a" "$build_dir/libcalibra.a")
for lib in "${libs[@]}"; do
  [[ -f $lib ]] || { echo "compile_cost: $lib missing; build the project first (cmake --build $build_dir)" >&2; exit 1; }
done
start=$(date +%s.%N)
measure "embedding example: compile -O2 and link" "$cxx" "${flags[@]}" -O2 "$example" "${libs[@]}" -pthread -o "$work/embedding"
end=$(date +%s.%N)
printf '  wall time for %d runs: %.1f s\n' "$runs" "$(echo "$end - $start" | bc)"
"$work/embedding" >/dev/null
