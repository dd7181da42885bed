"""The CBOR subset WebAuthn uses (RFC 8949): unsigned and negative integers,
byte and text strings, arrays, maps, booleans. Enough to read an
attestationObject and a COSE key, and for the test authenticator to write
them; anything else is refused."""


class CborError(ValueError):
    pass


def _head(major, n):
    if n < 24:
        return bytes([major << 5 | n])
    for extra, size in ((24, 1), (25, 2), (26, 4), (27, 8)):
        if n < 1 << (8 * size):
            return bytes([major << 5 | extra]) + n.to_bytes(size, "big")
    raise CborError("integer too large")


def encode(value):
    if isinstance(value, bool):
        return bytes([0xF5 if value else 0xF4])
    if isinstance(value, int):
        return _head(0, value) if value >= 0 else _head(1, -1 - value)
    if isinstance(value, (bytes, bytearray)):
        return _head(2, len(value)) + bytes(value)
    if isinstance(value, str):
        raw = value.encode("utf-8")
        return _head(3, len(raw)) + raw
    if isinstance(value, (list, tuple)):
        return _head(4, len(value)) + b"".join(encode(v) for v in value)
    if isinstance(value, dict):
        # canonical order: shorter encoded key first, then bytewise
        items = sorted(((encode(k), encode(v)) for k, v in value.items()),
                       key=lambda kv: (len(kv[0]), kv[0]))
        return _head(5, len(items)) + b"".join(k + v for k, v in items)
    raise CborError("cannot encode %r" % type(value))


def _read(data, pos, depth):
    if depth > 16:
        raise CborError("nested too deep")
    if pos >= len(data):
        raise CborError("truncated")
    first = data[pos]
    major, info = first >> 5, first & 31
    pos += 1
    if major == 7:
        if info in (20, 21):
            return info == 21, pos
        raise CborError("unsupported simple value")
    if info < 24:
        n = info
    elif info <= 27:
        size = 1 << (info - 24)
        if pos + size > len(data):
            raise CborError("truncated")
        n = int.from_bytes(data[pos:pos + size], "big")
        pos += size
    else:
        raise CborError("indefinite lengths are not supported")
    if major == 0:
        return n, pos
    if major == 1:
        return -1 - n, pos
    if major in (2, 3):
        if pos + n > len(data):
            raise CborError("truncated")
        raw = bytes(data[pos:pos + n])
        return (raw if major == 2 else raw.decode("utf-8")), pos + n
    if major == 4:
        out = []
        for _ in range(n):
            item, pos = _read(data, pos, depth + 1)
            out.append(item)
        return out, pos
    if major == 5:
        out = {}
        for _ in range(n):
            key, pos = _read(data, pos, depth + 1)
            if isinstance(key, (list, dict)):
                raise CborError("unhashable map key")
            out[key], pos = _read(data, pos, depth + 1)
        return out, pos
    raise CborError("unsupported major type %d" % major)


def decode_prefix(data):
    """(value, bytes used) for the item at the start of data."""
    return _read(bytes(data), 0, 0)


def decode(data):
    value, used = decode_prefix(data)
    if used != len(data):
        raise CborError("trailing bytes")
    return value
