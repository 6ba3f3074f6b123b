# expect NAME STATUS PATTERN -- CMD...: runs CMD and checks its exit status and that its output
# (stdout and stderr) matches the extended regular expression PATTERN; counts failures.
# Sourced by the bash test scripts; call expect_summary last.
failures=0
expect_out=$(mktemp)
trap 'rm -f "$expect_out"' EXIT

expect() {
  local name=$1 want=$2 pattern=$3
  shift 4
  "$@" >"$expect_out" 2>&1
  local got=$?
  if [[ $got != "$want" ]] || ! grep -Eq -- "$pattern" "$expect_out"; then
    echo "FAIL: $name: exit $got (want $want), output must match /$pattern/:"
    sed 's/^/    /' "$expect_out" | tail -n 30
    failures=$((failures + 1))
  else
    echo "ok: $name (exit $got)"
  fi
}

# Prints the count and returns non-zero if anything failed.
expect_summary() {
  echo "$1: $failures failure(s)"
  [[ $failures == 0 ]]
}
