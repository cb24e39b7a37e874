#!/usr/bin/env bash
# mailstack.sh start|stop — throwaway Postfix + Dovecot on loopback, state in one temp dir.
#   SMTP 127.0.0.1:$SMTP_PORT (2525) -> Postfix -> LMTP 127.0.0.1:$LMTP_PORT (2424) -> Dovecot maildir
#   IMAP 127.0.0.1:$IMAP_PORT (1143), plain login; MAIL_TLS=1 adds STARTTLS + IMAPS $IMAPS_PORT (1993), self-signed
#   users: $MAIL_USERS (default "support client1 client2") @$DOMAIN (example.test), password "secret"
#   PIPE_CMD=/path/prog : mail for $PIPE_ADDR (helpdesk@$DOMAIN) is piped to "prog <sender> <recipient>" (as vmail)
# start prints MAILTEST_DIR=...; stop needs MAILTEST_DIR in the environment. Needs root.
# Adapted from the verified recipe; the pitfalls it handles: no syslog (maillog_file under the state dir),
# daemon stdio to /dev/null (else a caller reading our stdout through a pipe never sees EOF), no Dovecot auth
# penalty on loopback, a 0755 state dir, postfix-owned data_directory, nothing ever leaves the machine.
set -euo pipefail
cmd=${1:-start}
T=${MAILTEST_DIR:-}
SMTP_PORT=${SMTP_PORT:-2525} IMAP_PORT=${IMAP_PORT:-1143} LMTP_PORT=${LMTP_PORT:-2424} IMAPS_PORT=${IMAPS_PORT:-1993}
DOMAIN=${MAIL_DOMAIN:-example.test}
TLS=${MAIL_TLS:-0}

if [ "$cmd" = stop ]; then
  [ -n "$T" ] || { echo "MAILTEST_DIR needed" >&2; exit 2; }
  postfix -c "$T/postfix" stop </dev/null >/dev/null 2>&1 || true
  [ -f "$T/run/master.pid" ] && { dovecot -c "$T/dovecot.conf" stop </dev/null >/dev/null 2>&1 || true; }
  exit 0
fi

# --- packages: installed by scripts/deps.sh (this script only checks, so a test run never waits on apt) ---
missing=()
command -v postfix >/dev/null || missing+=(postfix)
[ -x /usr/lib/dovecot/imap ] || missing+=(dovecot-imapd)
[ -x /usr/lib/dovecot/lmtp ] || missing+=(dovecot-lmtpd)
[ ${#missing[@]} -eq 0 ] || { echo "mailstack: missing ${missing[*]}; run scripts/deps.sh" >&2; exit 1; }
getent passwd vmail >/dev/null || useradd --system --no-create-home --shell /usr/sbin/nologin vmail
VUID=$(id -u vmail); VGID=$(id -g vmail)

[ -n "$T" ] || T=$(mktemp -d "${TMPDIR:-/tmp}/mailtest.XXXXXX")
mkdir -p "$T"/{run,state,mail,postfix,spool,pflib}
chmod 755 "$T"; chown vmail:vmail "$T/mail"; chown postfix:postfix "$T/pflib"

if [ "$TLS" = 1 ]; then
  openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=mail.$DOMAIN" \
    -addext "subjectAltName=DNS:mail.$DOMAIN,DNS:localhost,IP:127.0.0.1" \
    -keyout "$T/key.pem" -out "$T/cert.pem" 2>/dev/null
  chmod 644 "$T/cert.pem"; chmod 600 "$T/key.pem"
  DOVE_SSL="ssl = yes
ssl_cert = <$T/cert.pem
ssl_key = <$T/key.pem"; IMAPS_LISTEN=$IMAPS_PORT
else
  DOVE_SSL="ssl = no"; IMAPS_LISTEN=0
fi

# --- dovecot: passwd-file users, maildir under $T, everything on 127.0.0.1 ---
: > "$T/users"
for u in ${MAIL_USERS:-support client1 client2}; do echo "$u@$DOMAIN:{PLAIN}secret" >> "$T/users"; done
cat > "$T/dovecot.conf" <<CONF
protocols = imap lmtp
listen = 127.0.0.1
base_dir = $T/run
state_dir = $T/state
log_path = $T/dovecot.log
$DOVE_SSL
disable_plaintext_auth = no
auth_mechanisms = plain login
auth_failure_delay = 0
mail_location = maildir:$T/mail/%d/%n/Maildir
first_valid_uid = $VUID
mail_uid = $VUID
mail_gid = $VGID
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%Lu $T/users
}
userdb {
  driver = static
  args = uid=$VUID gid=$VGID home=$T/mail/%d/%n allow_all_users=yes
}
service imap-login {
  inet_listener imap {
    address = 127.0.0.1
    port = $IMAP_PORT
  }
  inet_listener imaps {
    address = 127.0.0.1
    port = $IMAPS_LISTEN
  }
}
service lmtp {
  inet_listener lmtp {
    address = 127.0.0.1
    port = $LMTP_PORT
  }
}
protocol lmtp {
  postmaster_address = postmaster@$DOMAIN
}
protocol imap {
  mail_max_userip_connections = 100
}
# no brute-force penalty on loopback (else a test with a wrong password slows later logins by 2-15 s)
service anvil {
  unix_listener anvil-auth-penalty {
    mode = 0
  }
}
CONF
dovecot -c "$T/dovecot.conf" </dev/null >/dev/null 2>&1 || { cat "$T/dovecot.log" >&2; exit 1; }

# --- postfix: own config dir, queue and data dir under $T, log file instead of syslog ---
cat > "$T/postfix/main.cf" <<CONF
compatibility_level = 3.6
myhostname = mail.$DOMAIN
mydomain = $DOMAIN
myorigin = \$mydomain
mydestination =
inet_interfaces = loopback-only
inet_protocols = ipv4
mynetworks = 127.0.0.0/8
queue_directory = $T/spool
data_directory = $T/pflib
alias_maps =
alias_database =
virtual_mailbox_domains = $DOMAIN
virtual_transport = lmtp:inet:127.0.0.1:$LMTP_PORT
# nothing ever leaves the machine: other domains bounce back to the sender
default_transport = error:external delivery disabled in tests
relay_transport = error:external delivery disabled in tests
smtpd_relay_restrictions = permit_mynetworks, reject_unauth_destination
maillog_file = $T/postfix.log
maillog_file_prefixes = $T
smtputf8_enable = yes
biff = no
# test speed: no penalty sleeps, quick retries when Dovecot/LMTP or the pipe command is temporarily down
smtpd_error_sleep_time = 0
queue_run_delay = 1s
minimal_backoff_time = 1s
maximal_backoff_time = 5s
CONF
[ "$TLS" = 1 ] && printf '%s\n' "smtpd_tls_cert_file = $T/cert.pem" "smtpd_tls_key_file = $T/key.pem" \
  "smtpd_tls_security_level = may" >> "$T/postfix/main.cf"
if [ -n "${PIPE_CMD:-}" ]; then
  printf '%s\n' "transport_maps = inline:{ ${PIPE_ADDR:-helpdesk@$DOMAIN}=reglament: }" \
    "reglament_destination_recipient_limit = 1" >> "$T/postfix/main.cf"
fi
cat > "$T/postfix/master.cf" <<CONF
127.0.0.1:$SMTP_PORT inet n - n - - smtpd
pickup    unix n - n 60 1 pickup
cleanup   unix n - n - 0 cleanup
qmgr      unix n - n 300 1 qmgr
tlsmgr    unix - - n 1000? 1 tlsmgr
rewrite   unix - - n - - trivial-rewrite
bounce    unix - - n - 0 bounce
defer     unix - - n - 0 bounce
trace     unix - - n - 0 bounce
verify    unix - - n - 1 verify
flush     unix n - n 1000? 0 flush
proxymap  unix - - n - - proxymap
smtp      unix - - n - - smtp
relay     unix - - n - - smtp
showq     unix n - n - - showq
error     unix - - n - - error
retry     unix - - n - - error
discard   unix - - n - - discard
lmtp      unix - - n - - lmtp
anvil     unix - - n - 1 anvil
scache    unix - - n - 1 scache
postlog   unix-dgram n - n - 1 postlogd
CONF
[ -n "${PIPE_CMD:-}" ] && printf '%s\n' "reglament unix - n n - - pipe" \
  "  flags=Rq user=vmail argv=$PIPE_CMD \${sender} \${original_recipient}" >> "$T/postfix/master.cf"
postfix -c "$T/postfix" start </dev/null >/dev/null 2>&1 || { cat "$T/postfix.log" >&2; exit 1; }

# --- wait until both answer ---
for i in $(seq 1 100); do
  (exec 3<>/dev/tcp/127.0.0.1/$SMTP_PORT) 2>/dev/null && (exec 3<>/dev/tcp/127.0.0.1/$IMAP_PORT) 2>/dev/null && break
  sleep 0.1
done
postfix -c "$T/postfix" status >/dev/null 2>&1 || { cat "$T/postfix.log" >&2; exit 1; }
echo "MAILTEST_DIR=$T"
