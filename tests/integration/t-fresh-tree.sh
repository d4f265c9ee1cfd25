#!/bin/bash
# A recipe's build directory is begun by its first step and holds what that
# step's inputs made (configure's cache, objects). When the first step's key
# changes, the directory is emptied before it runs again: a configure over an
# old cache stops (gcc's does) and make keeps objects built with old flags.
# A step that failed by itself is resumed in the tree as it is; a tree made
# by a bootstrap that kept no record is emptied when anything in it runs, and
# left alone when nothing does.
. "${TESTS_DIR:-$(dirname "$0")/..}/lib.sh" || exit 1

install_recipe_text cfg <<'R'
name cfg
version 1.0

step configure
	run if [ -e cache ] && [ "$(cat cache)" != "flavour plain" ]; then echo "stale cache: $(cat cache)"; exit 1; fi
	run echo "flavour plain" > cache

step build
	run echo "object $(cat cache)" >> objects
	run [ ! -e @T@/failbuild ]

step install
	run mkdir -p "$PREFIX" && cp objects "$PREFIX/objects" && echo install-1 > /dev/null
R
sed -i "s|@T@|$T|g" "$T/recipes/cfg.recipe"
write_config
bld=$T/build/work/cfg/build

bs_ok build
assert_file_eq "$bld/objects" "object flavour plain"
assert_exists "$T/build/state/cfg.tree"

# flavour F: the first step's script makes F's cache
flavour() { sed -i "s/flavour [a-z]*/flavour $1/g" "$T/recipes/cfg.recipe"; }

# a changed first step: its tree is emptied, then every step in it runs (the
# source is not prepared again: its key is unchanged)
flavour spicy
bs_ok explain
assert_out_has '^cfg:configure: recipe changed$'
bs_ok build
assert_eq "cfg:build cfg:configure cfg:install " "$(started_steps | tr '\n' ' ')" "steps run after the change"
assert_file_eq "$bld/objects" "object flavour spicy"
assert_file_eq "$T/prefix/objects" "object flavour spicy"
assert_file_has "$T/build/logs/cfg.configure.log" 'emptied, begun for this step'

# a step that fails by itself is resumed where it stopped, not begun again
touch "$T/failbuild"
flavour sour
bs build
expect_rc 5 "build whose cfg:build fails"
assert_file_eq "$bld/objects" "object flavour sour"
rm "$T/failbuild"
bs_ok build
assert_eq "cfg:build cfg:install " "$(started_steps | tr '\n' ' ')" "steps run after the failure"
assert_file_eq "$bld/objects" "object flavour sour
object flavour sour"

# a tree with no record (an older bootstrap's) is left alone while nothing in it runs...
rm "$T/build/state/cfg.tree"
bs_ok explain
assert_out_has '^nothing to do$'
# ...and begun again when a later step of it must run
sed -i 's/echo install-1/echo install-2/' "$T/recipes/cfg.recipe"
bs_ok explain
assert_out_has '^cfg:configure: its build directory was begun for other inputs: it starts empty$'
assert_out_has '^cfg:build: its build directory starts empty$'
assert_out_has '^cfg:install: recipe changed$'
bs_ok build
assert_eq "cfg:build cfg:configure cfg:install " "$(started_steps | tr '\n' ' ')" "steps run in a tree with no record"
assert_file_eq "$bld/objects" "object flavour sour"
bs_ok explain
assert_out_has '^nothing to do$'
