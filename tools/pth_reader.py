"""Reads a PyTorch checkpoint (.pth, torch.save's zip format) without torch.

A .pth is a zip archive: <root>/data.pkl is a pickle of the saved object, in which every tensor
is a call to torch._utils._rebuild_tensor_v2 over a storage that the pickle names by a
persistent id ('storage', <StorageType>, <key>, <location>, <numel>); the storage's bytes are
<root>/data/<key>. This reader runs the pickle with an Unpickler that builds only those calls
(and OrderedDict / plain containers): any other global is refused, so a checkpoint cannot run
code. Tensors come back as numpy arrays (C order, a copy of the storage's bytes).

Only the zip format (torch >= 1.6, the default since) is read; the legacy tar/pickle format and
storages without a numpy dtype (bfloat16) are refused with a ValueError.
"""
import collections
import pickle
import zipfile

import numpy as np

# Legacy storage classes named in the pickle, and their little-endian dtypes.
_STORAGE_DTYPES = {
    "FloatStorage": "<f4", "DoubleStorage": "<f8", "HalfStorage": "<f2",
    "LongStorage": "<i8", "IntStorage": "<i4", "ShortStorage": "<i2",
    "CharStorage": "i1", "ByteStorage": "u1", "BoolStorage": "?",
}


class _StorageType:
    def __init__(self, name):
        self.name = name


def _rebuild_tensor_v2(storage, offset, size, stride, requires_grad=False, hooks=None,
                       metadata=None):
    size, stride = tuple(size), tuple(stride)
    if not size:
        return storage[offset].copy().reshape(())
    if any(d == 0 for d in size):
        return np.zeros(size, storage.dtype)
    last = offset + sum((d - 1) * s for d, s in zip(size, stride))
    if offset < 0 or last >= storage.size or any(s < 0 for s in stride):
        raise ValueError("a tensor reaches outside its storage")
    item = storage.itemsize
    view = np.lib.stride_tricks.as_strided(storage[offset:], size, [s * item for s in stride])
    return np.ascontiguousarray(view)


def _rebuild_parameter(data, requires_grad=False, hooks=None):
    return data


_ALLOWED = {
    ("collections", "OrderedDict"): collections.OrderedDict,
    ("torch._utils", "_rebuild_tensor_v2"): _rebuild_tensor_v2,
    ("torch._utils", "_rebuild_parameter"): _rebuild_parameter,
}


class _Unpickler(pickle.Unpickler):
    def __init__(self, file, archive, root):
        super().__init__(file)
        self._archive, self._root, self._storages = archive, root, {}

    def find_class(self, module, name):
        if module == "torch" and name in _STORAGE_DTYPES:
            return _StorageType(name)
        if (module, name) in _ALLOWED:
            return _ALLOWED[(module, name)]
        raise ValueError(f"refusing to load {module}.{name}: not a plain tensor checkpoint")

    def persistent_load(self, pid):
        if not (isinstance(pid, tuple) and len(pid) == 5 and pid[0] == "storage"
                and isinstance(pid[1], _StorageType)):
            raise ValueError(f"unsupported persistent id {pid!r:.80}")
        kind, key = pid[1].name, str(pid[2])
        if key not in self._storages:
            raw = self._archive.read(f"{self._root}/data/{key}")
            self._storages[key] = np.frombuffer(raw, dtype=_STORAGE_DTYPES[kind])
        return self._storages[key]


def load_pth(path):
    """Returns the object torch.save wrote to `path`, with numpy arrays for tensors."""
    if not zipfile.is_zipfile(path):
        raise ValueError("not a zip-format PyTorch checkpoint (torch.save since 1.6 writes one)")
    with zipfile.ZipFile(path) as z:
        pkls = [n for n in z.namelist() if n.endswith("/data.pkl") and n.count("/") == 1]
        if len(pkls) != 1:
            raise ValueError("no <root>/data.pkl in the archive")
        root = pkls[0].split("/")[0]
        order = f"{root}/byteorder"
        if order in z.namelist() and z.read(order).strip() != b"little":
            raise ValueError("big-endian checkpoint")
        with z.open(pkls[0]) as f:
            return _Unpickler(f, z, root).load()
