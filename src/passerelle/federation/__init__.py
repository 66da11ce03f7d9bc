"""Federation between partner nodes.

Peer trust: ``keys`` (this node's Ed25519 key, its peers' public keys), ``signatures`` (RFC 9421
HTTP message signatures over each node-to-node request), ``replay`` (each nonce accepted once)
and ``signing_auth`` (an httpx authentication that signs outgoing requests). See
docs/federation.md.
"""
