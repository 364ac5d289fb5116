#!/bin/sh
# Installs the Debian/Ubuntu packages Frontline needs, only when they are missing.
#   run : libxcb-cursor0 (Qt's xcb platform plugin refuses to start without it)
#   test: poppler-utils (pdftotext/pdftoppm) and LibreOffice headless, used to check exports in a real office suite,
#         and fonts-liberation (metric-compatible Arial/Times, so converted pages lay out as in Word)
# Without root or apt-get it prints what to install and carries on: tests that need a tool skip with a reason.
set -u
need=""
case "${1:-run}" in
  run)  dpkg -s libxcb-cursor0 >/dev/null 2>&1 || need="$need libxcb-cursor0" ;;
  test) command -v pdftotext >/dev/null 2>&1 || need="$need poppler-utils"
        command -v soffice   >/dev/null 2>&1 || need="$need libreoffice-writer-nogui"
        dpkg -s fonts-liberation >/dev/null 2>&1 || need="$need fonts-liberation" ;;
esac
[ -z "$need" ] && exit 0
if ! command -v apt-get >/dev/null 2>&1; then
  echo "Frontline: please install these system packages with your package manager:$need"; exit 0
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then SUDO="sudo -n"; else
    echo "Frontline: run 'sudo apt-get install$need' for the full experience (continuing without)."; exit 0
  fi
fi
echo "Frontline: installing system packages:$need"
$SUDO apt-get update -qq >/dev/null 2>&1 || true
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $need >/dev/null \
  || echo "Frontline: could not install$need; the features that need them will say so."
