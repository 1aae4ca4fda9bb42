import csv, json, os, io
root = "tests/fuzz-corpus"
imp = os.path.join(root, "import"); os.makedirs(imp, exist_ok=True)
kinds = []
for f in sorted(os.listdir("data")):
    if not f.endswith(".csv"): continue
    kind = f[:-4]; kinds.append(kind)
    lines = open(os.path.join("data", f), encoding="utf-8").read().split("\n")
    head = "\n".join(lines[:4]) + "\n"
    open(os.path.join(imp, f"{kind}.head.csv"), "w", encoding="utf-8").write(head)
    # BOM + CRLF
    open(os.path.join(imp, f"{kind}.bom-crlf.csv"), "wb").write(b"\xef\xbb\xbf" + head.replace("\n", "\r\n").encode())
    rows = list(csv.DictReader(io.StringIO(head)))
    open(os.path.join(imp, f"{kind}.head.json"), "w", encoding="utf-8").write(json.dumps(rows, ensure_ascii=False, indent=1) + "\n")
g = "\n".join(open("data/guests.csv", encoding="utf-8").read().split("\n")[:3])
hdr, row1, row2 = g.split("\n")
def w(name, data):
    if isinstance(data, str): data = data.encode("utf-8")
    open(os.path.join(imp, name), "wb").write(data)
w("guests.esc-csi.csv", hdr + "\n" + row1.replace('Somsak', 'Som\x1b[2Jsak') + "\n")
w("guests.osc52.csv", hdr + "\n" + row1.replace('Somsak', 'Som\x1b]52;c;cm0gLXJm\x07sak') + "\n")
w("guests.c1-csi.csv", hdr + "\n" + row1.replace('Somsak', 'Som\u009b31msak') + "\n")
w("guests.dcs.csv", hdr + "\n" + row1.replace('Somsak', 'Som\x1bP1$qm\x1b\\\\sak') + "\n")
w("guests.bidi.csv", hdr + "\n" + row1.replace('Somsak', 'Som\u202esak\u2066x\u2069') + "\n")
w("guests.zero-width.csv", hdr + "\n" + row1.replace('Somsak', 'Som\u200bsak\u2060') + "\n")
w("guests.nul.csv", hdr + "\n" + row1.replace('Somsak', 'Som\x00sak') + "\n")
w("guests.invalid-utf8.csv", f"{hdr}\n".encode() + row1.encode().replace(b"Somsak", b"Som\xc3\x28sak\xff") + b"\n")
w("guests.truncated-row.csv", hdr + "\n" + row1 + "\n" + row2[:40])
w("guests.unclosed-quote.csv", hdr + "\n" + row1 + "\n\"" + row2 + "\n")
w("guests.ragged.csv", hdr + "\n" + row1 + ",extra,cells\n" + row2.split(",")[0] + "\n")
w("guests.header-only.csv", f"{hdr}\n")
w("guests.dup-header.csv", f"{hdr},full_name\n{row1},x\n")
w("guests.formula.csv", hdr + "\n" + row1.replace('Somsak Phommavong', '=HYPERLINK(\"http://x\";\"y\")') + "\n")
w("guests.empty.csv", b"")
w("guests.bom-only.csv", b"\xef\xbb\xbf")
w("guests.huge-field.csv", hdr + "\n" + row1.replace('Somsak', 'S' * 20000) + "\n")
w("guests.cr-only.csv", hdr + "\r" + row1 + "\r" + row2 + "\r")
w("guests.truncated.json", '[{"id":"LT-000001","full_name":"Somsak Phommavong","establishment_id":"CS-000071"')
w("guests.deep.json", "[" * 20000 + "]" * 20000)
w("guests.deep-object.json", '[{"id":' * 3000 + '1' + '}]' * 3000)
w("guests.escaped-esc.json", json.dumps([dict(zip(hdr.split(','), next(csv.reader([row1]))))]).replace("Somsak", "Som\\u001b]52;c;eA==\\u0007sak"))
w("guests.escaped-c1.json", json.dumps([dict(zip(hdr.split(','), next(csv.reader([row1]))))]).replace("Somsak", "Som\\u009bsak"))
w("guests.not-array.json", '{"id":"LT-000001"}')
w("guests.numbers.json", '[{"id":1,"full_name":2.5e308,"establishment_id":null,"check_in":true}]')
w("guests.lone-surrogate.json", '[{"id":"LT-000001","full_name":"\\ud800x"}]')
w("guests.key-escape.json", '[{"full_\\u001bname":"x"}]')
# keys
k = os.path.join(root, "keys"); os.makedirs(k, exist_ok=True)
for n, s in enumerate(["<Tab>/hung<Enter>j", "g g", "<C-A-x>", "<F255>", "<F256>", "<C-<>", "<<>>", "<", ">", "<>", "<C->", "<A-C-F1>", "<S-Tab>", ":tn<Enter>", "<PageDown>", "\x1b[A", "\u202e<Esc>", "<C-\u0301>", "a\u0301", "<F0>", " ", "<C- >"]):
    open(os.path.join(k, f"seed{n:02}.txt"), "w", encoding="utf-8").write(s)
# keymap
km = os.path.join(root, "keymap"); os.makedirs(km, exist_ok=True)
open(os.path.join(km, "builtin.toml"), "w").write(open("src/app/keymap.toml", encoding="utf-8").read())
open(os.path.join(km, "small.toml"), "w").write('[[list]]\non = "g g"\nrun = "select-first"\ndesc = "First"\n')
open(os.path.join(km, "bad-key.toml"), "w").write('[[list]]\non = "<Nope\x1b]52;c;eA==\x07>"\nrun = "select-first"\n')
open(os.path.join(km, "deep.toml"), "w").write("a = " + "[" * 5000 + "]" * 5000 + "\n")
# query
q = os.path.join(root, "query"); os.makedirs(q, exist_ok=True)
for n, s in enumerate(["Giàng su sinh:1990 xa:Thu-Lũm id:0012 tt:wanted kind:wanted", "hung", "nguyễn văn hùng", "kind:", ":::", "id:\x1b[2J", "sinh:99999999999999999999", "xa:\u202e", "a" * 500, "đ" * 300, "kind:TN", "kind:ld loai:khach", "Ş̸̢̛͓͚ơ̴", "\u0301\u0301\u0301", "ﬃ ǅ ẞ İ"]):
    open(os.path.join(q, f"seed{n:02}.txt"), "w", encoding="utf-8").write(s)
# config
c = os.path.join(root, "config"); os.makedirs(c, exist_ok=True)
cfgs = ['theme = "low-bandwidth"\nlang = "en"\nofficer = "CB-000003"\n',
 '[handover]\nshift_starts = ["06:00", "14:00", "22:00"]\n',
 '[lodging]\nremote_communes = ["Tân Uyên"]\nforeign_remote_hours = 36\n',
 '[screening]\nother_minutes = 30\nalert = 0.8\n', '[tips]\nverify_days = 30\n',
 'lang = "\x1b]52;c;eA==\x07"\n', 'officer = "CB-\u202e0003"\n', '[screening]\nalert = nan\nreview = inf\n',
 '[screening]\nalert = 1e308\nother_minutes = 18446744073709551615\n', '[handover]\nshift_starts = ["23:59", "23:59"]\n',
 '[handover]\nshift_starts = []\n', '[lodging]\nforeign_hours = -1\n', 'theme = \n', "a = " + "{b = " * 2000 + "1" + "}" * 2000 + "\n"]
for n, s in enumerate(cfgs):
    open(os.path.join(c, f"seed{n:02}.toml"), "w", encoding="utf-8").write(s)
# theme
t = os.path.join(root, "theme"); os.makedirs(t, exist_ok=True)
for f in sorted(os.listdir("themes")):
    open(os.path.join(t, f), "w", encoding="utf-8").write(open(os.path.join("themes", f), encoding="utf-8").read())
open(os.path.join(t, "inherit.toml"), "w").write('inherits = "default"\n[palette]\ndanger = "#ff0000"\n[roles]\nbase = { fg = "danger" }\n')
open(os.path.join(t, "self-cycle.toml"), "w").write('inherits = "fuzz"\n')
open(os.path.join(t, "bad-colour.toml"), "w").write('inherits = "default"\n[roles]\nbase = { fg = "#12345\x1b]52;c;eA==\x07" }\n')
open(os.path.join(t, "unquoted.toml"), "w").write('inherits = "default"\n[roles]\nalert.danger = { fg = "red" }\n')
open(os.path.join(t, "ansi.toml"), "w").write('inherits = "mono"\n[roles]\nbase = { fg = "ansi:256", bg = "ansi:-1", mods = ["blink"] }\n')
# wire: placeholder for the daemon's request decoder
wd = os.path.join(root, "wire"); os.makedirs(wd, exist_ok=True)
open(os.path.join(wd, "README.md"), "w").write("Seeds for the daemon's request decoder (`service::wire::decode_request`), once it is on main.\n")
