#!/usr/bin/python3
"""Runs Debian 12's vicc 0.8 (the vsmartcard card emulator) with its packaging faults worked around.

Usage: scripts/vicc.py [vicc arguments...]   e.g.  scripts/vicc.py -t iso7816 -P 35963

Debian 12 ships vicc 0.8 with three faults, each fixed here in-process (no files are written):
  1. The module lives in /usr/lib/python3/site-packages/virtualsmartcard, which is not on Debian's
     sys.path, and it must run under Debian's /usr/bin/python3 (another python on PATH lacks its
     dependencies). We re-exec under /usr/bin/python3 and put that directory on sys.path.
  2. It imports `Crypto`, but python3-pycryptodome installs the package as `Cryptodome`. An import
     hook makes `Crypto` and `Crypto.*` the same module objects as `Cryptodome` and `Cryptodome.*`.
  3. Iso7816OS.formatResult compares `le > len(data)` for "seekable" instructions (READ/UPDATE
     BINARY, ...); a command with data and no Le (UPDATE BINARY) has le None and the TypeError kills
     the emulator, i.e. the card disappears. The patched method treats a missing Le as Le = 0.

Two more faults found while building OneCard, also patched here:
  4. SELECT asking for FCP/FCI (P2 = 00 or 04) crashes in TLVutils.pack (b"".join over a bytes
     object); bertlv_pack as used by SELECT is replaced by a working encoder.
  5. `-t cryptoflex` builds its ATR as a str and dies sending it; it is converted to bytes.
     (`-t nPA` needs libeac's Python bindings and `-t ePass` needs PIL and an interactive MRZ
     prompt written for Python 2; neither runs on Debian 12.)
  6. Any other Python exception inside a command kills the emulator; it now answers SW 6F00
     ("no precise diagnosis", as a real card would) and logs the traceback.

Note: vicc 0.8 ignores `-f FILE`; the card's content lives only in the process and is lost when it
exits (exit = card pulled out of the reader) — unless ONECARD_VICC_IMAGE names a file: then the
card's file system and secure-access module are loaded from it when it exists and written to it
(atomically) after every command, so that ending vicc and starting it again with the same file is
pulling the card out and putting it back (the desk's tests do that).
"""
import importlib
import importlib.abc
import importlib.util
import os
import runpy
import sys

DEBIAN_PYTHON = "/usr/bin/python3"
VICC_MODULE_DIR = "/usr/lib/python3/site-packages/virtualsmartcard"
VICC_PROGRAM = "/usr/bin/vicc"

# Fault 1: Debian's interpreter.
if os.path.realpath(sys.executable) != os.path.realpath(DEBIAN_PYTHON):
    os.execv(DEBIAN_PYTHON, [DEBIAN_PYTHON, os.path.abspath(__file__)] + sys.argv[1:])
sys.path.insert(0, VICC_MODULE_DIR)


# Fault 2: `Crypto` is `Cryptodome`.
class _CryptoAlias(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    def find_spec(self, fullname, path=None, target=None):
        if fullname == "Crypto" or fullname.startswith("Crypto."):
            return importlib.util.spec_from_loader(fullname, self)
        return None

    def create_module(self, spec):
        return importlib.import_module("Cryptodome" + spec.name[len("Crypto"):])

    def exec_module(self, module):
        pass


try:
    import Crypto  # noqa: F401  (a real PyCrypto/pycryptodome "Crypto" package needs no alias)
except ImportError:
    sys.meta_path.insert(0, _CryptoAlias())

# Fault 3: commands with data and no Le.
from virtualsmartcard import VirtualSmartcard  # noqa: E402

_format_result = VirtualSmartcard.Iso7816OS.formatResult


def _format_result_without_le(self, seekable, le, data, sw, sm):
    if le is None and seekable:
        le = 0
    return _format_result(self, seekable, le, data, sw, sm)


VirtualSmartcard.Iso7816OS.formatResult = _format_result_without_le


# Fault 4: SELECT with FCP/FCI.
from virtualsmartcard import SmartcardFilesystem  # noqa: E402


def _bertlv_pack(objects):
    out = b""
    for tag, _, value in objects:
        t = b""
        while True:
            t = bytes([tag & 0xFF]) + t
            tag >>= 8
            if tag == 0:
                break
        n = len(value)
        if n < 0x80:
            length = bytes([n])
        else:
            length = n.to_bytes((n.bit_length() + 7) // 8, "big")
            length = bytes([0x80 | len(length)]) + length
        out += t + length + value
    return out


SmartcardFilesystem.bertlv_pack = _bertlv_pack

# Fault 5: cryptoflex's ATR.
from virtualsmartcard.cards import cryptoflex  # noqa: E402

_cryptoflex_init = cryptoflex.CryptoflexOS.__init__


def _cryptoflex_init_bytes_atr(self, *args, **kwargs):
    _cryptoflex_init(self, *args, **kwargs)
    if isinstance(self.atr, str):
        self.atr = self.atr.encode("latin-1")


cryptoflex.CryptoflexOS.__init__ = _cryptoflex_init_bytes_atr

# Fault 6: an exception answers 6F00 instead of killing the card.
def _guard(execute):
    def guarded(self, msg):
        try:
            return execute(self, msg)
        except Exception:  # noqa: BLE001  (the emulator must survive any command)
            import logging
            import traceback
            logging.error("command failed inside the emulator:\n%s", traceback.format_exc())
            return b"\x6f\x00"
    return guarded


VirtualSmartcard.Iso7816OS.execute = _guard(VirtualSmartcard.Iso7816OS.execute)
cryptoflex.CryptoflexOS.execute = _guard(cryptoflex.CryptoflexOS.execute)

# A card that survives being pulled out (ONECARD_VICC_IMAGE, above).
CARD_IMAGE = os.environ.get("ONECARD_VICC_IMAGE")
if CARD_IMAGE:
    import pickle

    _iso7816_init = VirtualSmartcard.Iso7816OS.__init__

    def _init_from_image(self, mf, sam, *args, **kwargs):
        if os.path.exists(CARD_IMAGE):
            with open(CARD_IMAGE, "rb") as image:
                mf, sam = pickle.load(image)
        _iso7816_init(self, mf, sam, *args, **kwargs)

    def _saving(execute):
        def saved(self, msg):
            answer = execute(self, msg)
            partial = CARD_IMAGE + ".partial"
            with open(partial, "wb") as image:
                pickle.dump((self.mf, self.SAM), image)
            os.replace(partial, CARD_IMAGE)
            return answer
        return saved

    VirtualSmartcard.Iso7816OS.__init__ = _init_from_image
    VirtualSmartcard.Iso7816OS.execute = _saving(VirtualSmartcard.Iso7816OS.execute)

sys.argv = [VICC_PROGRAM] + sys.argv[1:]
runpy.run_path(VICC_PROGRAM, run_name="__main__")
