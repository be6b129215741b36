#!/usr/bin/env bash
# A real print service for the printing tests: CUPS with a PDF virtual printer (Debian's `cups` and
# `printer-driver-cups-pdf`), cupsd started directly (CI has no systemd), and one queue whose jobs
# come out as PDF files in a known folder. Idempotent; run as root on Debian bookworm. Any step that
# fails stops the script with the reason: CI must not go on without the printer.
#
#   COMPTOIR_TEST_CUPS_QUEUE    queue name          (default ComptoirPDF)
#   COMPTOIR_TEST_CUPS_PDF_DIR  where its PDFs land (default /var/spool/cups-pdf/comptoir)
#
# The queue prints through a cups-pdf instance of its own (device cups-pdf:/comptoir, settings in
# /etc/cups/cups-pdf-comptoir.conf), so the machine's cups-pdf.conf is left as it is. Each PDF is
# named <title>…-job_<job id>.pdf. On success the last line says what was set up.
set -euo pipefail

QUEUE="${COMPTOIR_TEST_CUPS_QUEUE:-ComptoirPDF}"
OUT="${COMPTOIR_TEST_CUPS_PDF_DIR:-/var/spool/cups-pdf/comptoir}"
INSTANCE=comptoir
PPD_MODEL=lsb/usr/cups-pdf/CUPS-PDF_opt.ppd

die() { echo "cups.sh: $*" >&2; exit 1; }

[ "$(id -u)" = 0 ] || die "must run as root (installs packages, starts cupsd)"

# --- packages -------------------------------------------------------------------------------------
missing=()
command -v cupsd >/dev/null || missing+=(cups)
command -v lpadmin >/dev/null || missing+=(cups-client)
[ -x /usr/lib/cups/backend/cups-pdf ] || missing+=(printer-driver-cups-pdf)
if [ "${#missing[@]}" -gt 0 ]; then
    command -v apt-get >/dev/null || die "no apt-get to install ${missing[*]}"
    apt-get update -qq || die "apt-get update failed"
    # The packages' scripts try to start the service; without systemd that fails harmlessly.
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null \
        || die "cannot install ${missing[*]}"
fi

# --- the cups-pdf instance ------------------------------------------------------------------------
mkdir -p "$OUT"
chmod 1777 "$OUT"
cat > "/etc/cups/cups-pdf-$INSTANCE.conf" <<EOF
# Written by .ci/cups.sh for Comptoir's printing tests (queue $QUEUE).
Out $OUT
AnonDirName $OUT
Label 2
TitlePref 1
UserUMask 0022
AnonUMask 0022
EOF

# --- the daemon -----------------------------------------------------------------------------------
# The machine's own cupsd (default configuration, /run/cups/cups.sock); CUPS_SERVER is ignored here
# so that the queue is not made on some other server the caller points at.
unset CUPS_SERVER
# A cupsd started here runs in the foreground of a detached child with no terminal output (nothing
# holds CI's output open), and its pid is written to $PIDFILE so that the caller can stop it.
PIDFILE=/run/cups/comptoir-ci-cupsd.pid
started="already running"
if ! lpstat -r 2>/dev/null | grep -q "is running"; then
    mkdir -p /run/cups
    cupsd -f </dev/null >/dev/null 2>&1 &
    echo $! > "$PIDFILE"
    started="started, pid $(cat "$PIDFILE") in $PIDFILE"
    for _ in $(seq 50); do
        lpstat -r 2>/dev/null | grep -q "is running" && break
        sleep 0.2
    done
    lpstat -r 2>/dev/null | grep -q "is running" \
        || die "cupsd does not answer on /run/cups/cups.sock (see /var/log/cups/error_log)"
fi

# --- the queue ------------------------------------------------------------------------------------
# `lpadmin -m` warns that PPD drivers are deprecated (CUPS 2.4); they still work, and cups-pdf has no other.
lpadmin -p "$QUEUE" -v "cups-pdf:/$INSTANCE" -m "$PPD_MODEL" -o printer-is-shared=false -E 2>/dev/null \
    || die "lpadmin could not create queue $QUEUE (model $PPD_MODEL)"
cupsenable "$QUEUE" && cupsaccept "$QUEUE" || die "queue $QUEUE cannot be enabled"
lpstat -p "$QUEUE" 2>/dev/null | grep -q "enabled" || die "queue $QUEUE is not enabled: $(lpstat -p "$QUEUE" 2>&1)"

# --- a job through the whole chain (filters, Ghostscript, cups-pdf) -------------------------------
job=$(echo "Comptoir: vérification de la file $QUEUE" | lp -d "$QUEUE" -t cups-sh-check 2>&1) \
    || die "lp refused a job on $QUEUE: $job"
id="${job#*"$QUEUE"-}"; id="${id%% *}"
pdf=""
for _ in $(seq 150); do
    # The file is written while the job runs: read it once CUPS calls the job finished.
    if lpstat -W not-completed -o "$QUEUE" 2>/dev/null | grep -q "^$QUEUE-$id "; then sleep 0.2; continue; fi
    for f in "$OUT"/*.pdf; do
        [[ "$f" =~ job_${id}([^0-9]|$) ]] && pdf="$f" && break
    done
    [ -n "$pdf" ] && break
    sleep 0.2
done
[ -n "$pdf" ] || die "job $id on $QUEUE left no PDF in $OUT ($(lpstat -W not-completed -o "$QUEUE" 2>&1 | head -3)); see /var/log/cups/error_log"
head -c 5 "$pdf" | grep -q "%PDF-" && tail -c 64 "$pdf" | grep -q "%%EOF" || die "$pdf is not a whole PDF"
rm -f "$pdf"

echo "CUPS: queue $QUEUE prints to PDF in $OUT (cupsd $started)"
