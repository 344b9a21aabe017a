# Failed sign-ins by country over Graph pages: jq -n --argjson interrupts '[…]' -f this FILE…
# Failures are non-zero error codes outside Microsoft's interrupt list; a missing country counts as "(none)".
reduce (inputs | .value[] | select(.status.errorCode != 0 and (.status.errorCode as $c | $interrupts | index($c) | not)))
  as $r ({}; .[($r.location.countryOrRegion // "") | if . == "" then "(none)" else . end] += 1)
