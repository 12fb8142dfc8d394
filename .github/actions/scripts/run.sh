#!/usr/bin/env bash
# Runs one byocpack command for the Action: annotations on the pull request
# (--format github), a job summary, SARIF for code scanning when asked, and
# the exit status as an output, so that the SARIF upload runs before the
# step that fails the job.
#
# In:  BYOCPACK (the binary), BYOCPACK_COMMAND (a command and its
#      arguments, split on white space, as "validate out --strict"),
#      BYOCPACK_SARIF (a file to write SARIF to, or empty), GITHUB_OUTPUT,
#      GITHUB_STEP_SUMMARY.
# Out: outputs exit-code, failed (exit status 1 of diff is no failure)
#      and sarif-file; the summary; annotations on stdout.
set -uo pipefail

: "${GITHUB_OUTPUT:?GITHUB_OUTPUT is unset: run inside GitHub Actions}"
: "${GITHUB_STEP_SUMMARY:?GITHUB_STEP_SUMMARY is unset: run inside GitHub Actions}"
bin="${BYOCPACK:-byocpack}"
read -r -a args <<< "${BYOCPACK_COMMAND:-}"
if [ "${#args[@]}" -eq 0 ]; then
  echo "::error title=byocpack::the command input is empty; pass one, such as 'validate out --strict'"
  exit 2
fi
for a in "${args[@]}"; do
  case "$a" in
    --format|--format=*|--json|-q|--quiet)
      echo "::error title=byocpack::the command sets its own output ($a); the Action chooses the formats"
      exit 2 ;;
  esac
done
sarif="${BYOCPACK_SARIF:-}"
cmd="${args[0]}"
out="$(mktemp)"
trap 'rm -f "$out"' EXIT

# fence prints stdin as a code block GitHub cannot end early.
fence() { echo '````text'; sed 's/````/` ` ` `/g'; echo '````'; }

case "$cmd" in
  validate|review|diff)
    "$bin" "${args[@]}" --format github > "$out"
    code=$?
    # Annotations go to the log, where GitHub reads them.
    cat "$out"
    {
      echo "### byocpack ${args[*]}"
      echo
      case "$cmd" in
        review) "$bin" "${args[@]}" --format markdown ;;
        diff) "$bin" "${args[@]}" --format markdown ;;
        # validate's own text: every problem as path:line:col, then the counts.
        *) echo "Exit status $code: $(tail -n 1 "$out")"; echo; "$bin" "${args[@]}" 2>&1 | head -n 200 | fence ;;
      esac
    } >> "$GITHUB_STEP_SUMMARY"
    if [ -n "$sarif" ]; then
      "$bin" "${args[@]}" --format sarif > "$sarif"
      scode=$?
      # 0 and 1 (findings) both write SARIF; 2 is a failure to run.
      if [ "$scode" -gt 1 ]; then
        echo "::error title=byocpack::byocpack ${args[*]} --format sarif failed (exit $scode)"
        code=$scode
      fi
    fi
    ;;
  *)
    [ -z "$sarif" ] || echo "::warning title=byocpack::$cmd writes no SARIF (validate, review and diff do); sarif is ignored"
    sarif=
    "$bin" "${args[@]}" > "$out" 2>&1
    code=$?
    cat "$out"
    {
      echo "### byocpack ${args[*]}"
      echo
      echo "Exit status $code"
      echo
      head -n 200 "$out" | fence
    } >> "$GITHUB_STEP_SUMMARY"
    ;;
esac
# diff exits 1 when the versions differ, which is its answer, not a failure.
failed=false
if [ "$code" -ne 0 ] && { [ "$cmd" != diff ] || [ "$code" -gt 1 ]; }; then
  failed=true
fi
{
  echo "exit-code=$code"
  echo "failed=$failed"
  echo "sarif-file=$sarif"
} >> "$GITHUB_OUTPUT"
exit 0
