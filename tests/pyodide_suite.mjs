// Run the library's own test suite inside Pyodide (CPython compiled to WebAssembly),
// under Node:
//
//   node tests/pyodide_suite.mjs PYODIDE_DIR WHEELS_DIR [pytest arguments...]
//
// PYODIDE_DIR is the npm package's folder (npm install pyodide). WHEELS_DIR holds the
// pure-Python wheels of pytest, hypothesis and their dependencies, fetched for
// Pyodide's Python by `pip download --only-binary=:all: --python-version X.Y ...`;
// they are unpacked straight into site-packages, so no package index is needed. The
// project's files are copied into Pyodide's in-memory file system, so the run never
// writes into the checkout. Exits with pytest's status.
import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const [pyodideDir, wheelsDir, ...pytestArgs] = process.argv.slice(2);
if (!pyodideDir || !wheelsDir || !existsSync(join(pyodideDir, "pyodide.mjs"))) {
  console.error("usage: node tests/pyodide_suite.mjs PYODIDE_DIR WHEELS_DIR [pytest arguments...]");
  process.exit(2);
}
const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const started = Date.now();
const { loadPyodide } = await import(pathToFileURL(resolve(pyodideDir, "pyodide.mjs")).href);
const pyodide = await loadPyodide({ indexURL: resolve(pyodideDir) + "/" });
for (const [mount, folder] of [["/mnt/project", root], ["/mnt/wheels", resolve(wheelsDir)]]) {
  pyodide.FS.mkdirTree(mount);
  pyodide.FS.mount(pyodide.FS.filesystems.NODEFS, { root: folder }, mount);
}
pyodide.globals.set("pytest_args", pyodide.toPy(pytestArgs));
pyodide.globals.set("profile", process.env.HYPOTHESIS_PROFILE || "default");
const status = pyodide.runPython(`
import glob, os, shutil, sys, sysconfig, zipfile

for wheel in sorted(glob.glob("/mnt/wheels/*.whl")):
    zipfile.ZipFile(wheel).extractall(sysconfig.get_paths()["purelib"])
skip = shutil.ignore_patterns("__pycache__", "*.pyc", ".pytest_cache", ".hypothesis", "*.egg-info", "node_modules")
for folder in ["logreg_pure", "tests", "benchmarks", ".ci"]:
    shutil.copytree("/mnt/project/" + folder, "/home/pyodide/project/" + folder, ignore=skip)
for name in ["README.md", "setup.cfg", "pyproject.toml", "LICENSE"]:
    shutil.copy("/mnt/project/" + name, "/home/pyodide/project/" + name)
os.chdir("/home/pyodide/project")
sys.path.insert(0, "/home/pyodide/project")
sys.dont_write_bytecode = True
os.environ["HYPOTHESIS_PROFILE"] = profile
print(f"Python {sys.version.split()[0]} on {sys.platform}, Hypothesis profile {profile!r}", flush=True)

import pytest
int(pytest.main(["-p", "no:cacheprovider", *pytest_args]))
`);
console.log(`pyodide_suite: pytest exited ${status} after ${((Date.now() - started) / 1000).toFixed(1)} s in all`);
process.exit(status);
