"""Readers and writers for the formats partners already speak (STIX 2.1 first).

Interop modules translate between the domain's records and foreign formats. They hold no
policy: whether a record may leave the node is decided by ``passerelle.domain.policy`` before
anything here is called, and nothing read here is stored until a service has checked it.
"""
