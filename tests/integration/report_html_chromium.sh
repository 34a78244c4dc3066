#!/bin/sh
# The HTML report in a real browser: render sample models to HTML (through
# the report module alone, tests/helpers/render_report), screenshot them
# with headless Chromium, and fail on a blank or unstyled page: the page
# must have ink, and the status badges must show in their colours (PASS
# green, WARN amber, FAIL red), which only the inline CSS gives them.
set -u
: "${BUILD:?}" "${FIXTURES:?}"
chromium=/usr/bin/chromium
if [ ! -x "$chromium" ]; then
	echo "SKIP: $chromium is not installed (make deps installs the chromium package)"
	exit 77
fi
render=$BUILD/tests/helpers/render_report
colors=$BUILD/tests/helpers/png_colors
for h in "$render" "$colors"; do
	[ -x "$h" ] || { echo "FAIL: $h is not built (make tests)"; exit 1; }
done
work=$(mktemp -d /tmp/report_html_chromium.XXXXXX)
trap 'rm -rf "$work"' EXIT INT TERM
PASS=1a7f37 WARN=bf8700 FAIL=cf222e

shoot() { # html png
	profile=$(mktemp -d "$work/profile.XXXXXX")
	# Chromium's own sanitizer-free build: keep the helpers' ASan settings away from it.
	env -u ASAN_OPTIONS -u UBSAN_OPTIONS -u LD_PRELOAD timeout 120 "$chromium" \
		--headless --no-sandbox --disable-gpu --no-first-run \
		--disable-background-networking --disable-component-update --disable-sync \
		--hide-scrollbars --user-data-dir="$profile" --screenshot="$2" \
		--window-size=1200,2000 "file://$1" > "$work/chromium.log" 2>&1
	rc=$?
	if [ $rc -ne 0 ] || [ ! -s "$2" ]; then
		echo "FAIL: chromium exited $rc without a screenshot of $1:"
		tail -n 20 "$work/chromium.log"
		exit 1
	fi
}

count() { # output-of-png_colors key
	printf '%s\n' "$1" | awk -v k="$2" '$1 == k { print $2 }'
}

check_page() { # model expected-statuses...
	model=$1; shift
	name=$(basename "$model" .json)
	"$render" "$model" "$work/$name.html" "$work/$name.md" > /dev/null ||
		{ echo "FAIL: render_report $model"; exit 1; }
	shoot "$work/$name.html" "$work/$name.png"
	out=$("$colors" "$work/$name.png" $PASS $WARN $FAIL) ||
		{ echo "FAIL: cannot decode the screenshot of $name"; exit 1; }
	echo "$name: $(echo $out)"
	ink=$(count "$out" ink)
	pixels=$(printf '%s\n' "$out" | awk '$1 == "size" { print $2 * $3 }')
	if [ "$ink" -lt $(( pixels / 50 )) ]; then
		echo "FAIL: $name renders blank: $ink of $pixels pixels differ from the background"
		exit 1
	fi
	for status in "$@"; do
		eval colour=\$$status
		n=$(count "$out" "$colour")
		if [ "${n:-0}" -lt 200 ]; then
			echo "FAIL: $name: no $status badge in #$colour on the screenshot ($n pixels): unstyled page?"
			exit 1
		fi
	done
}

check_page "$FIXTURES/models/corrupt-fail.json" PASS FAIL
check_page "$FIXTURES/models/cp-a-warn.json" PASS WARN

# The check itself must fail on an unstyled page: the same HTML without its CSS.
sed '/<style>/,/<\/style>/d' "$work/cp-a-warn.html" > "$work/unstyled.html"
shoot "$work/unstyled.html" "$work/unstyled.png"
out=$("$colors" "$work/unstyled.png" $PASS $WARN $FAIL)
for c in $PASS $WARN $FAIL; do
	if [ "$(count "$out" $c)" -ge 200 ]; then
		echo "FAIL: the unstyled page still shows #$c: the colour check proves nothing"
		exit 1
	fi
done
echo "unstyled control: $(echo $out)"
echo "PASS: HTML reports render styled in headless Chromium"
