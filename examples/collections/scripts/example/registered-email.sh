#!/bin/sh
# Logic script of example/registered-email. Exit codes (formats.md section 3):
#   0 accomplished, 1 not accomplished yet, 2 error while checking, 4 needed information missing.
# The server passes the value from the trophy (already checked against the share's .extrainformation/email
# and the descriptor's pattern) as ACCOM_INFO_EMAIL; nothing else of the server's environment is visible here.
[ -n "$ACCOM_INFO_EMAIL" ] || exit 4
case "$ACCOM_INFO_EMAIL" in
    *@example.invalid) echo "addresses at example.invalid never count"; exit 1 ;;
esac
echo "accepted $ACCOM_INFO_EMAIL for $ACCOM_OWNER"
exit 0
