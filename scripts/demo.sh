#!/usr/bin/env bash
# OneCard's main job on its embedded default, end to end on this machine:
#   the sync server with its embedded SQLCipher store, two enrolled terminals — a sending-area desk
#   in Sihong County, Jiangsu (321324) and a receiving-area desk in Bao'an District, Shenzhen
#   (440306) — and a virtual card reader (pcscd + vicc) when no physical reader holds a card.
# It walks one child through register → issue card → sync → read the card at the other site →
# move → sync → counts, printing each step, and leaves the server running.
#
# Environment: ONECARD_DEMO_DIR (default ./demo-data; wiped at start), ONECARD_DEMO_PORT (7443),
# ONECARD_LANG=en for English output.
set -euo pipefail

top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
"$top/scripts/setup.sh" "$top/build"

server="$top/build/sync-server/onecard-server"
terminal="$top/build/terminal/onecard-terminal"
demo="${ONECARD_DEMO_DIR:-$top/demo-data}"
port="${ONECARD_DEMO_PORT:-7443}"
http_port="${ONECARD_DEMO_HTTP_PORT:-8443}"
# The demo officials' password (the demo only: real accounts get their own, from a prompt).
demo_password="onecard-demo-2026"
export ONECARD_RUN_DIR="$demo/run"
en() { [[ "${ONECARD_LANG:-}" == en* ]]; }
say() { if en; then printf '\n== %s\n' "$2"; else printf '\n== %s\n' "$1"; fi; }
run() { printf '$ %s\n' "$*" | sed "s#$top/build/[a-z-]*/##g; s#$demo/##g"; "$@"; }

# A previous demo's server and virtual card are stopped before its directory is wiped.
if [[ -f "$demo/server.pid" ]]; then kill "$(cat "$demo/server.pid")" 2>/dev/null || true; sleep 0.5; fi
[[ -d "$ONECARD_RUN_DIR" ]] && "$top/scripts/virtual-reader.sh" stop >/dev/null 2>&1 || true
rm -rf "$demo"
mkdir -p "$demo"

say "1. 初始化服务器（嵌入式 SQLCipher 存储、CA、服务器证书）" "1. Initialise the server (embedded SQLCipher store, CA, server certificate)"
run "$server" init --data "$demo/server"
run "$server" site add --data "$demo/server" --site JS-SIHONG --name "泗洪县青阳街道登记点" --area 321324 --role sending
run "$server" site add --data "$demo/server" --site GD-BAOAN --name "宝安区西乡街道登记点" --area 440306 --role receiving
run "$server" enroll --data "$demo/server" --site JS-SIHONG --terminal JS-T1 --out "$demo/js-t1.bundle" --server "127.0.0.1:$port"
run "$server" enroll --data "$demo/server" --site GD-BAOAN --terminal GD-T1 --out "$demo/gd-t1.bundle" --server "127.0.0.1:$port"

say "2. 官员账户（HTTPS 接口；口令来自 ONECARD_PASSWORD）" "2. Officials' accounts (HTTPS API; password from ONECARD_PASSWORD)"
export ONECARD_PASSWORD="$demo_password"
run "$server" user add --data "$demo/server" --user shenzhen.official --role official --area 4403
run "$server" user add --data "$demo/server" --user suqian.official --role official --area 3213
unset ONECARD_PASSWORD

say "2b. 启动同步服务（TLS 1.3，双向证书）和官员 HTTPS 接口" "2b. Start the sync service (TLS 1.3, mutual certificates) and the officials' HTTPS API"
setsid "$server" serve --data "$demo/server" --listen "127.0.0.1:$port" --http "127.0.0.1:$http_port" >"$demo/server.log" 2>&1 < /dev/null &
echo $! >"$demo/server.pid"
for _ in $(seq 100); do
  (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break
  kill -0 "$(cat "$demo/server.pid")" 2>/dev/null || { cat "$demo/server.log" >&2; exit 1; }
  sleep 0.1
done
cat "$demo/server.log"

say "3. 初始化两个终端（口令来自环境变量，从不出现在命令行）" "3. Set up both terminals (passphrases come from the environment, never the command line)"
export ONECARD_PASSPHRASE="demo passphrase 2026"
run env ONECARD_USER=li.registrar "$terminal" init --data "$demo/js-t1" --bundle "$demo/js-t1.bundle" --user li.registrar
run env ONECARD_USER=chen.registrar "$terminal" init --data "$demo/gd-t1" --bundle "$demo/gd-t1.bundle" --user chen.registrar
rm -f "$demo/js-t1.bundle" "$demo/gd-t1.bundle"
js() { run env ONECARD_USER=li.registrar "$terminal" "$@" --data "$demo/js-t1"; }
gd() { run env ONECARD_USER=chen.registrar "$terminal" "$@" --data "$demo/gd-t1"; }

say "4. 读卡器" "4. Card readers"
if "$terminal" readers --json 2>/dev/null | grep -q '"card_present": true'; then
  echo "$(en && echo 'a reader holds a card: using it' || echo '已有读卡器插着卡：使用它')"
else
  echo "$(en && echo 'no reader holds a card: starting a virtual reader with a blank card' || echo '没有插卡的读卡器：启动虚拟读卡器并插入空白卡')"
  "$top/scripts/virtual-reader.sh" start iso7816 35963
fi
run "$terminal" readers

say "5. 江苏泗洪（流出地）登记一名留守儿童" "5. Register a left-behind child at the sending site in Sihong, Jiangsu"
child_id=$(js register --record "$top/demo/child.json" | tail -n 1)
echo "child_id: $child_id"
js show --child "$child_id"

say "6. 发卡（个人化空白卡，写入签名加密的记录）" "6. Issue the card (personalise the blank card, write the signed, encrypted record)"
js card issue --child "$child_id"

say "7. 泗洪终端同步" "7. Sync the Sihong terminal"
js sync

say "8. 孩子随父母到深圳宝安：宝安登记点读卡（此前从未见过该儿童，离线验证签名）" \
    "8. The child moves with the parents to Bao'an, Shenzhen: the Bao'an desk reads the card (it never saw the child; verified offline)"
gd card read

say "9. 宝安登记点更新现居住地" "9. The Bao'an desk records the new residence"
echo '{"residence_area": "440306", "residence_address": "宝安区西乡街道固戍二路 12 号"}' >"$demo/move.json"
gd update --child "$child_id" --record "$demo/move.json"
rm -f "$demo/move.json"

say "10. 两个终端同步" "10. Sync both terminals"
gd sync
js sync
js show --child "$child_id"

say "11. 官员统计（服务器上的管理员，--exact 不隐藏小数）" "11. Counts for officials (administrator at the server, --exact shows small cells)"
run "$server" counts --data "$demo/server" --area 4403 --by category,sex --exact
run "$server" counts --data "$demo/server" --area 3213 --moved-out --by residence_area:4 --exact
run "$server" counts --data "$demo/server" --area 4403 --by category --json

say "12. 官员统计看板与 HTTPS 接口" "12. The officials' dashboard and HTTPS API"
if en; then
  echo "dashboard: https://127.0.0.1:$http_port/ (docs/dashboard.md; the server's own certificate: the browser asks to accept it)"
  echo "API: https://127.0.0.1:$http_port/api/v1/ (docs/api.md); demo accounts (the demo only):"
  echo "  shenzhen.official / $demo_password  (jurisdiction 4403 Shenzhen)"
  echo "  suqian.official   / $demo_password  (jurisdiction 3213 Suqian)"
else
  echo "统计看板：https://127.0.0.1:$http_port/（见 docs/dashboard.md；服务器自己的证书，浏览器会请您确认）"
  echo "接口：https://127.0.0.1:$http_port/api/v1/（见 docs/api.md）；演示账户（仅限演示）："
  echo "  shenzhen.official / $demo_password（辖区 4403 深圳市）"
  echo "  suqian.official   / $demo_password（辖区 3213 宿迁市）"
fi

say "完成" "Done"
if en; then
  echo "The sync server is still running on 127.0.0.1:$port (pid $(cat "$demo/server.pid"), data in $demo/server)."
  echo "Stop it with: kill \$(cat $demo/server.pid); stop the virtual reader with: ONECARD_RUN_DIR=$ONECARD_RUN_DIR scripts/virtual-reader.sh stop"
else
  echo "同步服务器仍在运行：127.0.0.1:$port（进程 $(cat "$demo/server.pid")，数据在 $demo/server）。"
  echo "停止服务器：kill \$(cat $demo/server.pid)；停止虚拟读卡器：ONECARD_RUN_DIR=$ONECARD_RUN_DIR scripts/virtual-reader.sh stop"
fi
