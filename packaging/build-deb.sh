#!/usr/bin/env bash
# Builds out/asterisk-cisco-bridge_<version>_amd64.deb from the Native AOT `acb` with dpkg-deb
# (no debhelper, no debian/ source tree). What goes where is in packaging/README.md.
#
#   bash packaging/build-deb.sh                      publish the AOT binary (out/native), then package it
#   bash packaging/build-deb.sh --binary-dir DIR     package an `acb` already published with PublishAot
#
# Needs: the .NET 10 SDK with clang and zlib1g-dev (only to publish), dpkg-deb and dpkg-shlibdeps
# (dpkg-dev), objdump and strip (binutils), gzip. The package version is what `acb --version`
# prints, without its +commit suffix.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
packaging="$repo/packaging"
out="$repo/out"
package=asterisk-cisco-bridge
maintainer=${ACB_DEB_MAINTAINER:-"AsteriskCiscoBridge maintainers <maintainers@users.noreply.h-seed-2bcb5eff.example>"}

usage() { sed -n '4,5p' "$0" | sed 's/^# \{0,1\}//'; }
die() { echo "build-deb.sh: $*" >&2; exit 1; }

binary_dir=
while [ $# -gt 0 ]; do
    case $1 in
    --binary-dir) [ $# -ge 2 ] || die "--binary-dir needs a folder"; binary_dir=$2; shift 2 ;;
    --binary-dir=*) binary_dir=${1#*=}; shift ;;
    -h|--help) usage; exit 0 ;;
    *) usage >&2; die "unknown argument '$1'" ;;
    esac
done

for tool in dpkg-deb dpkg-shlibdeps objdump objcopy strip gzip; do
    command -v "$tool" >/dev/null || die "$tool not found (apt-get install dpkg-dev binutils gzip)"
done

if [ -z "$binary_dir" ]; then
    binary_dir="$out/native"
    rm -rf "$binary_dir"
    # UseSystemZlib: link Debian's libz.so.1 instead of the zlib-ng copy .NET carries, so that
    # zlib's security updates reach acb (lintian: embedded-library).
    dotnet publish "$repo/src/AsteriskCiscoBridge.Host" -c Release -r linux-x64 -p:PublishAot=true \
        -p:UseSystemZlib=true -o "$binary_dir"
fi
binary_dir=$(cd "$binary_dir" && pwd)

# The publish folder of a Native AOT build: the executable, SQLite's native library, and debug and
# documentation files that are not shipped. Anything else (acb.dll, libcoreclr.so: a JIT build; a new
# native library) stops the build rather than being left out silently.
for f in "$binary_dir"/* "$binary_dir"/.[!.]*; do
    [ -e "$f" ] || continue
    case ${f##*/} in
    acb|libe_sqlite3.so) ;;
    *.pdb|*.xml|*.dbg|*.staticwebassets.endpoints.json) ;;
    *) die "unexpected file in $binary_dir: ${f##*/} (not a Native AOT publish of acb, or a file to add to packaging/build-deb.sh)" ;;
    esac
done
[ -x "$binary_dir/acb" ] || die "$binary_dir/acb is missing or not executable"
[ -f "$binary_dir/libe_sqlite3.so" ] || die "$binary_dir/libe_sqlite3.so is missing (SQLite's native library)"
objdump -f "$binary_dir/acb" | grep -q 'architecture: i386:x86-64' || die "$binary_dir/acb is not an x86-64 executable"

# The one version: the binary's own (<Version> of the build, +commit added by the SDK).
printed=$("$binary_dir/acb" --version) || die "'$binary_dir/acb --version' failed"
version=${printed%%+*}
commit=${printed#"$version"}
commit=${commit#+}
[[ $version =~ ^[0-9][0-9A-Za-z.-]*$ ]] || die "'acb --version' printed '$printed': not a version"
# A SemVer pre-release (1.1.0-rc.1) sorts before its release; in Debian that is written with '~'.
version=${version//-/\~}

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# The tree is staged where dpkg-shlibdeps expects a package's files: debian/<package>.
root="$work/debian/$package"
doc="$root/usr/share/doc/$package"

install -d -m 0755 "$root/DEBIAN" "$root/usr/bin" "$root/usr/lib/$package" "$root/usr/lib/systemd/system" \
    "$root/etc/$package" "$doc/examples" "$root/usr/share/man/man1" "$root/usr/share/lintian/overrides"

# The binary and SQLite side by side: .NET looks for native libraries in AppContext.BaseDirectory,
# which a Native AOT program takes from /proc/self/exe, so /usr/bin/acb (a link) still finds
# libe_sqlite3.so next to the real file.
install -m 0755 "$binary_dir/acb" "$root/usr/lib/$package/acb"
install -m 0644 "$binary_dir/libe_sqlite3.so" "$root/usr/lib/$package/libe_sqlite3.so"
strip --strip-unneeded --remove-section=.comment --remove-section=.note "$root/usr/lib/$package/libe_sqlite3.so"
# acb comes stripped from the publish (its symbols are in acb.dbg); only the compilers' notes go.
objcopy --remove-section=.comment "$root/usr/lib/$package/acb"
ln -s "../lib/$package/acb" "$root/usr/bin/acb"

install -m 0644 "$packaging/asterisk-cisco-bridge.service" "$root/usr/lib/systemd/system/$package.service"
# 0640 from the start: the file holds the AMI secret; postinst gives it the acb group.
install -m 0640 "$packaging/acb.json" "$root/etc/$package/acb.json"

install -m 0644 "$packaging/deb/copyright" "$doc/copyright"
install -m 0644 "$repo/README.md" "$doc/README.md"
install -m 0644 "$packaging/README.md" "$doc/packaging.md"
for f in README.md manager.conf pjsip.conf pjsip_notify.conf; do
    install -m 0644 "$repo/asterisk-conf/$f" "$doc/examples/$f"
done
install -m 0644 "$packaging/deb/lintian-overrides" "$root/usr/share/lintian/overrides/$package"

# Dates from the commit the binary was built from, so that the same binary gives the same package.
date=
if [ -n "$commit" ] && epoch=$(git -C "$repo" show -s --format=%ct "$commit" 2>/dev/null); then
    export SOURCE_DATE_EPOCH=$epoch
    date=$(date -u -R -d "@$epoch")
fi
date=${date:-$(date -u -R)}

{
    echo "$package ($version) unstable; urgency=medium"
    echo
    echo "  * Built from the AsteriskCiscoBridge repository${commit:+ at commit}"
    [ -z "$commit" ] || echo "    $commit."
    echo "    The product's changes are in its git history."
    echo
    echo " -- $maintainer  $date"
} | gzip -9n > "$doc/changelog.gz"

# The manual page: the program's own help, so that it cannot drift from the binary.
man_escape() { sed -e 's/\\/\\e/g' -e 's/-/\\-/g' -e 's/^\([.'"'"']\)/\\\&\1/'; }
# The commands a help text lists (`acb firmware --help` lists import, list, verify).
commands_of() { "$binary_dir/acb" "$@" --help | awk '/^Commands:/ { on = 1; next } on && NF { print $1 }'; }
{
    echo ".TH ACB 1 \"$(date -u -d "@${SOURCE_DATE_EPOCH:-$(date +%s)}" +%Y-%m-%d)\" \"$package $version\" \"User Commands\""
    echo ".SH NAME"
    echo "acb \\- Asterisk as the provisioning server for Cisco IP phones"
    echo ".SH SYNOPSIS"
    echo ".B acb"
    echo ".I command"
    echo "[\\fIoptions\\fR]"
    echo ".SH DESCRIPTION"
    echo ".nf"
    "$binary_dir/acb" --help | man_escape
    echo ".fi"
    echo ".SH COMMANDS"
    for c in $(commands_of); do
        for sub in "" $(commands_of "$c"); do
            echo ".SS $c${sub:+ $sub}"
            echo ".nf"
            "$binary_dir/acb" "$c" $sub --help | man_escape
            echo ".fi"
        done
    done
    echo ".SH FILES"
    echo ".TP"
    echo ".I /etc/$package/acb.json"
    echo "the configuration (default of \\fB\\-\\-config\\fR when present)"
    echo ".TP"
    echo ".I /var/lib/$package"
    echo "the SQLite store and the firmware folder"
    echo ".SH SEE ALSO"
    echo "/usr/share/doc/$package/README.md, /usr/share/doc/$package/packaging.md"
} | gzip -9n > "$root/usr/share/man/man1/acb.1.gz"
chmod 0644 "$doc/changelog.gz" "$root/usr/share/man/man1/acb.1.gz"

install -m 0755 "$packaging/deb/postinst" "$packaging/deb/prerm" "$packaging/deb/postrm" "$root/DEBIAN/"
echo "/etc/$package/acb.json" > "$root/DEBIAN/conffiles"
(cd "$root" && find . -path ./DEBIAN -prune -o -path "./etc/$package/acb.json" -prune -o -type f -printf '%P\0' | LC_ALL=C sort -z | xargs -0 md5sum) > "$root/DEBIAN/md5sums"
chmod 0644 "$root/DEBIAN/conffiles" "$root/DEBIAN/md5sums"

# Depends: what the ELF files link, each library's package and the oldest version with every symbol
# they use (dpkg-shlibdeps, from the packages' symbols files); then what is not linked but needed.
printf 'Source: %s\n\nPackage: %s\nArchitecture: amd64\n' "$package" "$package" > "$work/debian/control"
shlibs=$(cd "$work" && dpkg-shlibdeps -O "$root/usr/lib/$package/acb" "$root/usr/lib/$package/libe_sqlite3.so")
depends=${shlibs#shlibs:Depends=}
[ -n "$depends" ] && [ "$depends" != "$shlibs" ] || die "dpkg-shlibdeps printed '$shlibs'"
# Loaded at run time with dlopen, so not seen above: OpenSSL, which .NET uses for every hash (SHA-256
# of each served file, the MD5 AMI login) and for TLS (Ami:UseTls, OTLP over https); libssl3t64 is
# its name from Debian 13 on. (libgssapi_krb5, also named in the binary, serves only Kerberos HTTP
# authentication, which acb does not use.)
if grep -qa 'libssl\.so\.3' "$root/usr/lib/$package/acb"; then
    depends="$depends, libssl3 | libssl3t64"
fi
# postinst creates the service user with adduser.
depends="$depends, adduser"

installed_size=$(du -s -k --apparent-size --exclude=DEBIAN "$root" | cut -f1)
cat > "$root/DEBIAN/control" <<EOF
Package: $package
Version: $version
Architecture: amd64
Maintainer: $maintainer
Installed-Size: $installed_size
Depends: $depends
Section: net
Priority: optional
Description: Asterisk as the provisioning server for Cisco IP phones
 acb reads the PJSIP endpoints of an Asterisk PBX over AMI, renders each
 Cisco phone's configuration files (7940/7960, the 79x1 family and the
 6900, 7800, 8800, 8900 and 9900 series on SIP loads), serves them and the
 firmware over its own TFTP server and HTTP on port 6970, and makes exactly
 the affected phones re-read them through PJSIPNotify when endpoints change.
 .
 The service runs as the system user acb under systemd; it is not started
 on installation: give it an AMI user first (postinst prints the steps).
EOF
chmod 0644 "$root/DEBIAN/control"

mkdir -p "$out"
deb="$out/${package}_${version}_amd64.deb"
dpkg-deb --root-owner-group -Zxz --build "$root" "$deb" >/dev/null
echo "$deb ($(du -k "$deb" | cut -f1) KiB; installs $installed_size KiB; Depends: $depends)"
