# Source this file: puts a Node.js >= 22 first on PATH.
# Machines here ship Node 20; when the machine's Node is older than 22, the `node`
# package from the npm registry (which ships a Node 24 binary) is installed once
# into .tools/node24 under the project and put first on PATH.
_maas_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
_maas_node_major() { node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }
if [ "$(_maas_node_major)" -lt 22 ]; then
  _maas_tools="$_maas_root/.tools/node24"
  if [ ! -x "$_maas_tools/node_modules/.bin/node" ]; then
    echo "maas-wizard: Node $(node --version 2>/dev/null || echo none) is older than 22; installing Node 24 into .tools/node24" >&2
    mkdir -p "$_maas_tools"
    npm install --silent --no-save --prefix "$_maas_tools" node@24 >&2
  fi
  export PATH="$_maas_tools/node_modules/.bin:$PATH"
  if [ "$(_maas_node_major)" -lt 22 ]; then
    echo "maas-wizard: could not get Node >= 22 (have $(node --version))" >&2
    return 1 2>/dev/null || exit 1
  fi
fi
unset -f _maas_node_major
