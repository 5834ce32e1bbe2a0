#!/usr/bin/env bash
# Sign Windows files with Authenticode (osslsigncode) when a certificate is given:
#
#   SELFEVAL_SIGN_CERT=cert.pfx SELFEVAL_SIGN_PASSWORD=... installers/windows/sign.sh FILE...
#
# SELFEVAL_SIGN_PASSWORD_FILE may hold the password instead; SELFEVAL_SIGN_TIMESTAMP names a
# timestamp server (RFC 3161) to countersign with. Without SELFEVAL_SIGN_CERT it signs nothing and
# says so plainly (exit 0), so an unsigned build is never mistaken for a signed one.
set -euo pipefail
if [ -z "${SELFEVAL_SIGN_CERT:-}" ]; then
    for file in "$@"; do
        echo "sign: NOT SIGNED (no certificate: set SELFEVAL_SIGN_CERT): $file" >&2
    done
    exit 0
fi
command -v osslsigncode >/dev/null || { echo "sign: osslsigncode is missing (apt-get install osslsigncode)" >&2; exit 1; }
[ -r "$SELFEVAL_SIGN_CERT" ] || { echo "sign: cannot read the certificate $SELFEVAL_SIGN_CERT" >&2; exit 1; }
password_args=()
if [ -n "${SELFEVAL_SIGN_PASSWORD_FILE:-}" ]; then
    password_args=(-readpass "$SELFEVAL_SIGN_PASSWORD_FILE")
elif [ -n "${SELFEVAL_SIGN_PASSWORD:-}" ]; then
    password_args=(-pass "$SELFEVAL_SIGN_PASSWORD")
fi
timestamp_args=()
[ -n "${SELFEVAL_SIGN_TIMESTAMP:-}" ] && timestamp_args=(-ts "$SELFEVAL_SIGN_TIMESTAMP")
for file in "$@"; do
    osslsigncode sign -pkcs12 "$SELFEVAL_SIGN_CERT" "${password_args[@]}" "${timestamp_args[@]}" \
        -n "Hunanwerthuso | Self-evaluation" -h sha256 -in "$file" -out "$file.signed"
    mv "$file.signed" "$file"
    osslsigncode verify -in "$file" >/dev/null 2>&1 \
        && echo "sign: signed and verified: $file" >&2 \
        || echo "sign: signed (the chain is not trusted on this machine, e.g. a test certificate): $file" >&2
done
