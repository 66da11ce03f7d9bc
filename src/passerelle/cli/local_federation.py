"""A local federation: the four nodes fr, es, be and ma on loopback, for development and demos.

``passerelle federation up`` builds a ``Federation`` and drives it; tests drive the same object.
Its life, in order:

1. ``bind`` reserves the four ports (``base_port`` + 0..3, in the order of ``AGENCIES``), so
   that a port in use is refused before any file is touched, and no other process can take a
   port while the nodes are prepared;
2. ``prepare`` makes each node as ``passerelle init`` and ``passerelle seed`` would (schema,
   agencies, an administrator, the node key, fictional data, the demo accounts), then has each
   node trust the three others' keys and record a legal basis for each of them;
3. ``start`` serves the four nodes, each with its own uvicorn server in a thread of this
   process, on the sockets ``bind`` reserved, and keeps them in sync: each node pushes its
   outbox (``federation.outbox.OutboxSender``) and pulls its partners' feeds every
   ``PULL_INTERVAL_S`` seconds (``federation.pull.pull_all``), in two threads of its own;
   ``wait`` blocks until ``request_stop`` (which a signal handler may call) or until a server
   ends; ``stop`` stops the sync threads and the servers, closes the nodes' databases and
   releases the ports. ``run`` is start, wait and stop.

Everything lives in one folder: per node a SQLite database (``fr.db``), its signing key
(``fr.node.key``) and a settings file (``fr.env``, mode 0600) holding the secrets generated on
the first run. The settings file is written in the ``PASSERELLE_*`` form, so that an operator
can source it to run any other command against that node. Without ``fresh`` a second run
reuses all of it and adds nothing twice: init, seeding and the trust steps are idempotent, and
a peer key or a legal basis already recorded is left alone.

Development only: the demo accounts' password is published, and every person in the data is
fictional. The nodes run with ``environment=development`` whatever the environment says.
"""

from __future__ import annotations

import logging
import os
import secrets
import shlex
import socket
import stat
import threading
import time
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

import uvicorn

from passerelle.bootstrap import load_node_key, node_caller, opened
from passerelle.cli.init import initialise
from passerelle.domain.agencies import DEFAULT_AGENCIES, Agency
from passerelle.domain.transfers import BasisKind
from passerelle.errors import Conflict, PasserelleError, ValidationFailed
from passerelle.federation.keys import NodeKey
from passerelle.federation.outbox import OutboxSender
from passerelle.federation.pull import pull_all
from passerelle.node import Node
from passerelle.seeding import DEMO_PASSWORD, SeedSummary, seed
from passerelle.settings import Settings

AGENCIES = ("fr", "es", "be", "ma")  # port order: fr on base_port, es on base_port + 1, ...
ADMIN = "admin"
JUSTIFICATION = "local federation for development (fictional data)"
DIRECTIVE = "Directive (EU) 2016/680"
AGREEMENT = "Accord de coopération policière (fictif)"
MOROCCAN_AGREEMENT = AGREEMENT + " — loi 09-08, art. 43-44"
DATABASE_SUFFIXES = ("", "-wal", "-shm", "-journal")
START_TIMEOUT_S = 30.0
STOP_TIMEOUT_S = 10.0
POLL_S = 0.05
PULL_INTERVAL_S = 5.0
PUSH_INTERVAL_S = 0.05

log = logging.getLogger("passerelle.cli.local_federation")

#: Fills one prepared node with sample data; the CLI passes one that shows progress.
Seeder = Callable[[Node, int, int], SeedSummary]


def quiet_seed(node: Node, people: int, seed_value: int) -> SeedSummary:
    """``seeding.seed`` without progress reports."""
    return seed(node, people, seed_value, lambda _done: None)


@dataclass(frozen=True, slots=True)
class FederationOptions:
    """What ``passerelle federation up`` was asked for."""

    folder: Path = Path("federation")
    base_port: int = 8100
    people: int = 200
    seed: int = 0
    host: str = "127.0.0.1"
    fresh: bool = False

    @property
    def shown_host(self) -> str:
        """The host in URLs: a wildcard address is reached on loopback; an IPv6 address is
        bracketed."""
        host = "127.0.0.1" if self.host in ("0.0.0.0", "::") else self.host  # noqa: S104
        return f"[{host}]" if ":" in host else host

    def port_of(self, agency_id: str) -> int:
        """The port ``agency_id``'s node listens on."""
        return self.base_port + AGENCIES.index(agency_id)


@dataclass(frozen=True, slots=True)
class Member:
    """One node of the local federation: where it listens and where its files are."""

    agency_id: str
    url: str
    settings: Settings
    database: Path
    key_file: Path
    settings_file: Path

    @property
    def taxii_url(self) -> str:
        """The TAXII base URL partners register (discovery is ``taxii2/`` below it)."""
        return f"{self.url}taxii/"


def member_files(folder: Path, agency_id: str) -> tuple[Path, Path, Path]:
    """(database, node key, settings file) of ``agency_id``'s node in ``folder``."""
    return (folder / f"{agency_id}.db", folder / f"{agency_id}.node.key",
            folder / f"{agency_id}.env")


def remove_files(folder: Path) -> list[Path]:
    """Delete the four nodes' databases, keys and settings files (``--fresh``); nothing else
    in ``folder`` is touched. Returns what was deleted."""
    removed = []
    for agency_id in AGENCIES:
        database, key_file, settings_file = member_files(folder, agency_id)
        for path in (*(Path(f"{database}{s}") for s in DATABASE_SUFFIXES), key_file,
                     settings_file):
            if path.exists():
                path.unlink()
                removed.append(path)
    return removed


def _write_settings_file(path: Path, values: dict[str, str]) -> None:
    """Create ``path`` with mode 0600; it holds secrets."""
    text = "".join(f"{name}={shlex.quote(value)}\n" for name, value in values.items())
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as file:
        os.fchmod(file.fileno(), 0o600)  # the umask may have removed the owner's bits
        file.write(text)


def _read_settings_file(path: Path) -> dict[str, str]:
    if stat.S_IMODE(path.stat().st_mode) & (stat.S_IRWXG | stat.S_IRWXO):
        raise ValidationFailed(f"{path} holds secrets and is accessible to the group or "
                               f"others; run `chmod 600 {path}`", field="settings_file")
    values = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        name, sep, value = line.partition("=")
        if sep and not name.startswith("#"):
            values[name.strip()] = "".join(shlex.split(value))
    return values


def _secret(values: dict[str, str], name: str, path: Path) -> str:
    if not values.get(name):
        raise ValidationFailed(f"{path} has no {name}; start over with --fresh",
                               field="settings_file")
    return values[name]


def member(options: FederationOptions, agency_id: str) -> Member:
    """``agency_id``'s node, its secrets read from its settings file, which is written with
    new secrets when missing."""
    database, key_file, settings_file = member_files(options.folder.resolve(), agency_id)
    if not settings_file.exists():
        _write_settings_file(settings_file, {
            "PASSERELLE_ENVIRONMENT": "development", "PASSERELLE_AGENCY_ID": agency_id,
            "PASSERELLE_DATABASE_URL": f"sqlite:///{database}",
            "PASSERELLE_NODE_KEY_FILE": str(key_file),
            "PASSERELLE_SECRET_KEY": secrets.token_urlsafe(32),
            "PASSERELLE_AUDIT_KEY": secrets.token_urlsafe(32)})
    values = _read_settings_file(settings_file)
    secret_key, audit_key = (_secret(values, name, settings_file)
                             for name in ("PASSERELLE_SECRET_KEY", "PASSERELLE_AUDIT_KEY"))
    # Named explicitly, so that the operator's own PASSERELLE_* cannot point a node elsewhere.
    settings = Settings(environment="development", agency_id=agency_id,
                        database_url=f"sqlite:///{database}", node_key_file=key_file,
                        host=options.host, port=options.port_of(agency_id),
                        secret_key=secret_key, audit_key=audit_key)
    url = f"http://{options.shown_host}:{options.port_of(agency_id)}/"
    return Member(agency_id, url, settings, database, key_file, settings_file)


def legal_basis(sender: Agency, partner: Agency) -> tuple[BasisKind, str]:
    """The basis ``sender``'s node records for ``partner``: the Directive between EU members,
    otherwise a (fictional) cooperation agreement, under Moroccan law from Morocco."""
    if sender.eu_member and partner.eu_member:
        return BasisKind.EU_DIRECTIVE, DIRECTIVE
    return BasisKind.AGREEMENT, AGREEMENT if sender.eu_member else MOROCCAN_AGREEMENT


def trust(node: Node, partners: list[tuple[Member, NodeKey]]) -> None:
    """Have ``node`` trust each partner's key at its TAXII URL and record a basis for it,
    leaving alone what is recorded already (a later run adds nothing)."""
    caller = node_caller(node.settings.agency_id, JUSTIFICATION)
    agencies = {agency.id: agency for agency in DEFAULT_AGENCIES}
    known = {peer.key_id: peer.base_url for peer in node.peers.list()}
    bases = {basis.partner: (basis.kind, basis.reference) for basis in node.federation.bases()}
    for partner, key in partners:
        if known.get(key.key_id, partner.taxii_url) != partner.taxii_url:
            raise Conflict(f"the {node.settings.agency_id} node knows the {partner.agency_id} "
                           f"node at {known[key.key_id]}, not {partner.taxii_url}: use the "
                           "--host and --base-port of the first run, or --fresh",
                           field="base_port")
        if key.key_id not in known:
            node.peers.register(caller, partner.agency_id, key.public_raw_b64(),
                                partner.taxii_url)
        wanted = legal_basis(agencies[node.settings.agency_id], agencies[partner.agency_id])
        if bases.get(partner.agency_id) != wanted:
            node.federation.record_basis(caller, partner.agency_id, *wanted, JUSTIFICATION)


def pull_loop(node: Node, key: NodeKey, stop: threading.Event,
              interval: float = PULL_INTERVAL_S) -> None:
    """Pull every partner's feed into ``node`` now and then every ``interval`` seconds,
    until ``stop`` is set; a pass that fails is logged and the next one comes."""
    while not stop.is_set():
        try:
            for failed in (r for r in pull_all(node, key) if isinstance(r, PasserelleError)):
                log.info("pull into %s: %s", node.settings.agency_id, failed)
        except Exception:  # the loop outlives a bad pass; the error is logged
            log.exception("pull into %s failed", node.settings.agency_id)
        stop.wait(interval)


def _bind(host: str, port: int, agency_id: str) -> socket.socket:
    try:
        family, kind, proto, _, address = socket.getaddrinfo(host, port,
                                                             type=socket.SOCK_STREAM)[0]
        sock = socket.socket(family, kind, proto)
    except OSError as error:
        raise ValidationFailed(f"cannot listen on {host}: {error}", field="host") from None
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(address)
    except OSError as error:
        sock.close()
        raise Conflict(f"port {port} on {host} (for the {agency_id} node) is not free: "
                       f"{error.strerror}; stop what uses it or choose another --base-port",
                       field="base_port") from None
    return sock


class Federation:
    """The four nodes of a local federation; see the module's docstring for its life."""

    def __init__(self, options: FederationOptions) -> None:
        self.options = options
        self.members: list[Member] = []
        self._sockets: dict[str, socket.socket] = {}
        self._servers: list[uvicorn.Server] = []
        self._threads: list[threading.Thread] = []
        self._nodes = ExitStack()
        self._stop = threading.Event()
        self._sync_stop = threading.Event()
        self._workers: list[threading.Thread] = []

    def bind(self) -> None:
        """Reserve the four ports; ``Conflict`` naming the first one taken (none is kept)."""
        try:
            for agency_id in AGENCIES:
                if agency_id not in self._sockets:
                    self._sockets[agency_id] = _bind(self.options.host,
                                                     self.options.port_of(agency_id), agency_id)
        except PasserelleError:
            self._release()
            raise

    def prepare(self, seeder: Seeder = quiet_seed) -> list[Member]:
        """Make, or bring up to date, the four nodes in the folder (see the module's
        docstring) and return them, in the order of ``AGENCIES``."""
        folder = self.options.folder
        if self.options.fresh:
            remove_files(folder)
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        self.members = [member(self.options, agency_id) for agency_id in AGENCIES]
        keys = {m.agency_id: initialise(m.settings, ADMIN, lambda: DEMO_PASSWORD).key
                for m in self.members}
        for current in self.members:
            with opened(current.settings) as node:
                trust(node, [(m, keys[m.agency_id]) for m in self.members if m is not current])
                seeder(node, self.options.people, self.options.seed)
        return self.members

    def start(self, timeout_s: float = START_TIMEOUT_S) -> None:
        """Serve the prepared nodes on the reserved ports; returns once all four accept
        connections. A node that fails to start stops the others and raises."""
        from passerelle.api.collector import settle
        from passerelle.web import create_site  # here, not at the top: keeps other commands fast

        if not self.members:
            raise PasserelleError("prepare the local federation before starting it")
        self.bind()
        nodes = []
        for current in self.members:
            node = self._nodes.enter_context(opened(current.settings))
            nodes.append(node)
            config = uvicorn.Config(create_site(node), host=self.options.host,
                                    port=self.options.port_of(current.agency_id),
                                    log_level="warning")
            server = uvicorn.Server(config)
            thread = threading.Thread(target=server.run, name=f"passerelle-{current.agency_id}",
                                      kwargs={"sockets": [self._sockets[current.agency_id]]},
                                      daemon=True)
            self._servers.append(server)
            self._threads.append(thread)
            thread.start()
        self._wait_started(time.monotonic() + timeout_s)
        settle()
        for current, node in zip(self.members, nodes, strict=True):
            self._start_sync(current, node)

    def _start_sync(self, current: Member, node: Node) -> None:
        """The node's outbox sender and pull loop, each in a thread of its own."""
        key = load_node_key(current.settings)
        sender = OutboxSender(node, key)
        for name, target, args in (
                ("outbox", sender.run_forever, (self._sync_stop, PUSH_INTERVAL_S)),
                ("pull", pull_loop, (node, key, self._sync_stop))):
            worker = threading.Thread(target=target, args=args, daemon=True,
                                      name=f"passerelle-{current.agency_id}-{name}")
            self._workers.append(worker)
            worker.start()

    def _wait_started(self, deadline: float) -> None:
        while not all(server.started for server in self._servers):
            ended = [t.name for t in self._threads if not t.is_alive()]
            if ended or time.monotonic() > deadline:
                self.stop()
                raise PasserelleError("the local federation did not start: "
                                      f"{', '.join(ended) or 'timed out'}")
            time.sleep(POLL_S)

    def request_stop(self) -> None:
        """Ask ``wait`` to return; safe from a signal handler or another thread."""
        self._stop.set()

    def wait(self) -> None:
        """Block until ``request_stop`` is called or one of the servers ends."""
        while not self._stop.wait(0.2):
            if any(not thread.is_alive() for thread in self._threads):
                return

    def stop(self, timeout_s: float = STOP_TIMEOUT_S) -> None:
        """Stop the sync threads and the servers, close the nodes' databases and release the
        ports. Safe to call more than once, and before ``start``."""
        self._sync_stop.set()
        for worker in self._workers:
            worker.join(timeout_s)
        for server in self._servers:
            server.should_exit = True
        for thread in self._threads:
            thread.join(timeout_s)
        self._nodes.close()
        self._release()

    def run(self, on_started: Callable[[Federation], None] = lambda _f: None) -> None:
        """Start, call ``on_started``, wait for ``request_stop``, then stop."""
        try:
            self.start()
            on_started(self)
            self.wait()
        finally:
            self.stop()

    @property
    def running(self) -> list[str]:
        """The names of the server and sync threads still running."""
        return [thread.name for thread in (*self._threads, *self._workers)
                if thread.is_alive()]

    def _release(self) -> None:
        for sock in self._sockets.values():
            sock.close()
        self._sockets.clear()
