#!/usr/bin/env bash
# Installs the Debian packages the tests need; a quick no-op (dpkg-query only) when all are present.
# Add packages here as capabilities need them (postfix/dovecot for mail, chromium for the browser tests).
set -euo pipefail
# chromium + fonts-liberation: the browser tests (tests/Reglament.BrowserTests) drive Debian's chromium through Playwright.
# hunspell-ru + hunspell-tools: the rudeness detector's clean word list test (tests/Reglament.Russian.Tests/DictionaryTests).
pkgs=(postgresql postfix dovecot-imapd dovecot-lmtpd swaks chromium fonts-liberation hunspell-ru hunspell-tools)
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q '^install ok installed$' || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && { echo "deps: all present (${pkgs[*]})"; exit 0; }
[ "$(id -u)" = 0 ] || { echo "deps: missing ${missing[*]} - run as root (or: sudo $0)" >&2; exit 1; }
export DEBIAN_FRONTEND=noninteractive
# Postfix without a system configuration: the mail tests run their own instance (scripts/mailstack.sh).
echo "postfix postfix/main_mailer_type select No configuration" | debconf-set-selections
# Keep package scripts from starting system-wide daemons: the tests start their own on loopback.
made_policy=
if [ ! -e /usr/sbin/policy-rc.d ]; then
  printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d; chmod 755 /usr/sbin/policy-rc.d; made_policy=1
fi
trap '[ -n "$made_policy" ] && rm -f /usr/sbin/policy-rc.d' EXIT
apt-get -o DPkg::Lock::Timeout=600 update -q
apt-get -o DPkg::Lock::Timeout=600 install -y -q --no-install-recommends "${missing[@]}"
echo "deps: installed ${missing[*]}"
