#!/usr/bin/python3
"""A test stand-in for the Ubuntu One / Magicicada sync daemon on D-Bus.

It exports the daemon's documented objects (docs: syncdaemon-dbus.md) with the
exact member names and signatures: ``/`` (SyncDaemon), ``/status``,
``/shares`` and ``/folders``.  There is no server behind it: shares are
"offered" and files "downloaded" through a test-only control object at
``/test/control`` (interface ``org.accomplishments.test.SyncDaemonControl``),
which is NOT part of the real daemon.

Like the real daemon, outcomes of share operations are not return values but
signals emitted after the method has returned (from a GLib idle callback), so
a client sees the method reply first and the signal later.

Run it with Debian's /usr/bin/python3 (it needs python3-dbus and python3-gi).
On start it prints exactly one line ``READY <unique bus name>`` to stdout;
everything else goes to stderr.  Exit codes: 0 on SIGTERM/SIGINT or quit(),
1 if the bus cannot be reached, 2 on bad arguments, 3 if the name
com.ubuntuone.SyncDaemon is already owned, 4 if the bus connection is lost.
"""

import argparse
import json
import os
import signal
import sys
import tempfile
import uuid

import dbus
import dbus.bus
import dbus.mainloop.glib
import dbus.service
from gi.repository import GLib

BUS_NAME = 'com.ubuntuone.SyncDaemon'
SYNCDAEMON_IFACE = 'com.ubuntuone.SyncDaemon.SyncDaemon'
STATUS_IFACE = 'com.ubuntuone.SyncDaemon.Status'
SHARES_IFACE = 'com.ubuntuone.SyncDaemon.Shares'
FOLDERS_IFACE = 'com.ubuntuone.SyncDaemon.Folders'
# Test-only: not part of the real daemon.
CONTROL_IFACE = 'org.accomplishments.test.SyncDaemonControl'
CONTROL_PATH = '/test/control'

ANSWER_MODES = ('yes', 'no', 'silent')
FREE_BYTES = '1073741824'
# The keys of a share dict, exactly as documented ("There is no id key").
SHARE_KEYS = ('volume_id', 'node_id', 'generation', 'type', 'path', 'name',
              'other_username', 'other_visible_name', 'accepted',
              'subscribed', 'access_level', 'free_bytes')

CONNECTED_STATUS = {
    'name': 'QUEUE_MANAGER', 'description': 'processing the commands pool',
    'is_error': '', 'is_connected': 'True', 'is_online': 'True',
    'queues': 'IDLE', 'connection': 'With User With Network'}
DISCONNECTED_STATUS = {
    'name': 'READY', 'description': 'ready to connect',
    'is_error': '', 'is_connected': '', 'is_online': '',
    'queues': 'IDLE', 'connection': 'Not User With Network'}


def log(message):
    """Diagnostics go to stderr: stdout carries only the READY line."""
    print('test_syncdaemon: ' + message, file=sys.stderr, flush=True)


def bool_str(value):
    """The daemon's booleans: 'True' or '' (empty string)."""
    return 'True' if value else ''


def string_dict(values):
    """An a{ss} for dbus-python, so an empty dict still has its signature."""
    return dbus.Dictionary(values, signature='ss')


def volume_info(volume_id):
    """The info dict of the real daemon's *Error signals for a volume id.

    The real daemon sends both keys ("be redundant to support old APIs");
    SyncDaemonTool matches errors on info['volume_id'].
    """
    return string_dict({'volume_id': volume_id, 'id': volume_id})


class ControlError(dbus.DBusException):
    """A refused control call (test-only interface)."""
    _dbus_error_name = CONTROL_IFACE + '.Error'


class State:
    """Shares, shares offered by me and folders; optionally kept in a file."""

    def __init__(self, state_file):
        self.state_file = state_file
        self.shares = {}   # volume_id -> share dict, in offer order
        self.shared = {}   # shares offered by me (create_share)
        self.folders = {}  # volume_id -> folder dict
        if state_file and os.path.exists(state_file):
            with open(state_file, encoding='utf-8') as f:
                data = json.load(f)
            for key in ('shares', 'shared', 'folders'):
                getattr(self, key).update(
                    (entry['volume_id'], entry) for entry in data.get(key, []))

    def save(self):
        """Write the whole state to a temp file and rename it into place.

        Done after every change, so a daemon killed at any moment restarts
        with either the old or the new state, never a torn file.
        """
        if not self.state_file:
            return
        data = {key: list(getattr(self, key).values())
                for key in ('shares', 'shared', 'folders')}
        directory = os.path.dirname(os.path.abspath(self.state_file))
        fd, tmp = tempfile.mkstemp(dir=directory, prefix='.state-',
                                   suffix='.tmp')
        try:
            # No fsync: tests kill the process, never the machine, and rename
            # alone is atomic against that. An fsync per change made a burst of
            # 1,000 accepts wait on the disk instead of measuring the client.
            with os.fdopen(fd, 'w', encoding='utf-8') as f:
                json.dump(data, f, separators=(',', ':'))
            os.rename(tmp, self.state_file)
        except BaseException:
            if os.path.exists(tmp):
                os.unlink(tmp)
            raise


class Daemon:
    """What the exported objects share: settings, state, signal gate, log."""

    def __init__(self, args, loop):
        self.loop = loop
        self.shares_dir = os.path.abspath(args.shares_dir)
        self.root_dir = os.path.abspath(
            args.root_dir or os.path.dirname(self.shares_dir))
        self.answer = args.answer
        self.answers_for = {}  # volume_id -> answer mode for that share only
        self.claims = []  # extra get_shares entries reusing another share's volume_id
        self.signals_on = True
        self.status = dict(CONNECTED_STATUS)
        self.state = State(args.state)
        self.calls = []  # (member, first string argument or '')
        self.exit_code = 0

    def record(self, member, first=''):
        """Log a call of a documented method (see control.calls())."""
        self.calls.append((member, str(first)))
        log('call %s(%s)' % (member, first))

    def emit(self, signal_method, *args):
        """Emit a documented signal later, from the main loop.

        The real daemon answers the method call first and signals the outcome
        afterwards; an idle callback gives the same order.  With
        set_signals(False) the emission is dropped, which is how the real
        daemon's signals looked when they were missed under load.
        """
        def fire():
            if self.signals_on:
                signal_method(*args)
            else:
                log('dropped signal %s' % signal_method.__name__)
            return False
        GLib.idle_add(fire)

    def share_path(self, name, visible_name, volume_id):
        return os.path.join(self.shares_dir, '%s (%s, %s)' % (
            name, visible_name, volume_id))

    def new_share(self, owner, visible_name, name):
        volume_id = str(uuid.uuid4())
        share = {
            'volume_id': volume_id,
            'node_id': str(uuid.uuid4()),
            'generation': '0',
            'type': 'Share',
            'path': self.share_path(name, visible_name, volume_id),
            'name': name,
            'other_username': owner,
            'other_visible_name': visible_name,
            'accepted': '',
            'subscribed': '',
            'access_level': 'Modify',
            'free_bytes': FREE_BYTES,
        }
        self.state.shares[volume_id] = share
        return share

    def quit(self, exit_code):
        self.exit_code = exit_code
        self.loop.quit()


class SyncDaemonObject(dbus.service.Object):
    """``/``: com.ubuntuone.SyncDaemon.SyncDaemon."""

    def __init__(self, bus, daemon):
        super().__init__(bus, '/')
        self.d = daemon

    @dbus.service.method(SYNCDAEMON_IFACE, in_signature='', out_signature='')
    def connect(self):
        self.d.record('connect')
        self.d.status = dict(CONNECTED_STATUS)
        self.d.emit(self.d.status_object.StatusChanged,
                    string_dict(self.d.status))

    @dbus.service.method(SYNCDAEMON_IFACE, in_signature='', out_signature='')
    def disconnect(self):
        self.d.record('disconnect')
        self.d.status = dict(DISCONNECTED_STATUS)
        self.d.emit(self.d.status_object.StatusChanged,
                    string_dict(self.d.status))

    @dbus.service.method(SYNCDAEMON_IFACE, in_signature='', out_signature='s')
    def get_rootdir(self):
        self.d.record('get_rootdir')
        return self.d.root_dir

    @dbus.service.method(SYNCDAEMON_IFACE, in_signature='', out_signature='s')
    def get_sharesdir(self):
        self.d.record('get_sharesdir')
        return self.d.shares_dir

    @dbus.service.method(SYNCDAEMON_IFACE, in_signature='', out_signature='s')
    def get_sharesdir_link(self):
        # The real daemon keeps a "Shared With Me" link in the root pointing
        # to the shares dir; the fixture only reports where it would be.
        self.d.record('get_sharesdir_link')
        return os.path.join(self.d.root_dir, 'Shared With Me')

    @dbus.service.method(SYNCDAEMON_IFACE, in_signature='d', out_signature='b')
    def wait_for_nirvana(self, last_event_interval):
        # Nothing is ever queued here, so nirvana is immediate.
        self.d.record('wait_for_nirvana')
        return True

    @dbus.service.method(SYNCDAEMON_IFACE, in_signature='', out_signature='')
    def quit(self):
        # Returning sends the reply; the loop stops on the next iteration and
        # main() flushes the connection before exiting 0.
        self.d.record('quit')
        GLib.idle_add(self.d.quit, 0)

    @dbus.service.method(SYNCDAEMON_IFACE, in_signature='s', out_signature='')
    def rescan_from_scratch(self, volume_id):
        # The real daemon checks the volume exists (a D-Bus error if not);
        # '' is the root volume.
        self.d.record('rescan_from_scratch', volume_id)
        state = self.d.state
        if volume_id and volume_id not in state.shares \
                and volume_id not in state.folders:
            raise ValueError('VolumeDoesNotExist: %s' % volume_id)


class StatusObject(dbus.service.Object):
    """``/status``: com.ubuntuone.SyncDaemon.Status."""

    def __init__(self, bus, daemon):
        super().__init__(bus, '/status')
        self.d = daemon

    @dbus.service.method(STATUS_IFACE, in_signature='',
                         out_signature='a{ss}')
    def current_status(self):
        self.d.record('current_status')
        return string_dict(self.d.status)

    @dbus.service.method(STATUS_IFACE, in_signature='',
                         out_signature='aa{ss}')
    def current_downloads(self):
        # Downloads are instantaneous here (control.deliver), none in flight.
        self.d.record('current_downloads')
        return dbus.Array([], signature='a{ss}')

    @dbus.service.method(STATUS_IFACE, in_signature='',
                         out_signature='aa{ss}')
    def current_uploads(self):
        self.d.record('current_uploads')
        return dbus.Array([], signature='a{ss}')

    @dbus.service.method(STATUS_IFACE, in_signature='s', out_signature='t')
    def free_space(self, volume_id):
        self.d.record('free_space', volume_id)
        share = self.d.state.shares.get(volume_id)
        return dbus.UInt64(int(share['free_bytes']) if share else 0)

    @dbus.service.method(STATUS_IFACE, in_signature='',
                         out_signature='a(ssa{ss})')
    def waiting(self):
        self.d.record('waiting')
        return dbus.Array([], signature='(ssa{ss})')

    @dbus.service.signal(STATUS_IFACE, signature='s')
    def DownloadStarted(self, path):
        pass

    @dbus.service.signal(STATUS_IFACE, signature='sa{ss}')
    def DownloadFileProgress(self, path, info):
        pass

    @dbus.service.signal(STATUS_IFACE, signature='sa{ss}')
    def DownloadFinished(self, path, info):
        pass

    @dbus.service.signal(STATUS_IFACE, signature='s')
    def UploadStarted(self, path):
        pass

    @dbus.service.signal(STATUS_IFACE, signature='sa{ss}')
    def UploadFileProgress(self, path, info):
        pass

    @dbus.service.signal(STATUS_IFACE, signature='sa{ss}')
    def UploadFinished(self, path, info):
        pass

    @dbus.service.signal(STATUS_IFACE, signature='a{ss}')
    def StatusChanged(self, status):
        pass

    @dbus.service.signal(STATUS_IFACE, signature='ss')
    def InvalidName(self, dirname, filename):
        pass

    @dbus.service.signal(STATUS_IFACE, signature='ssss')
    def BrokenNode(self, volume_id, node_id, mdid, path):
        pass

    @dbus.service.signal(STATUS_IFACE, signature='ssa{ss}')
    def RequestQueueAdded(self, op_name, op_id, data):
        pass

    @dbus.service.signal(STATUS_IFACE, signature='ssa{ss}')
    def RequestQueueRemoved(self, op_name, op_id, data):
        pass

    @dbus.service.signal(STATUS_IFACE, signature='a{ss}')
    def AccountChanged(self, account_info):
        pass


class SharesObject(dbus.service.Object):
    """``/shares``: com.ubuntuone.SyncDaemon.Shares."""

    def __init__(self, bus, daemon):
        super().__init__(bus, '/shares')
        self.d = daemon

    def _share(self, volume_id):
        return self.d.state.shares.get(volume_id)

    @dbus.service.method(SHARES_IFACE, in_signature='',
                         out_signature='aa{ss}')
    def get_shares(self):
        self.d.record('get_shares')
        return dbus.Array([string_dict(s) for s in
                           list(self.d.state.shares.values()) + self.d.claims],
                          signature='a{ss}')

    @dbus.service.method(SHARES_IFACE, in_signature='',
                         out_signature='aa{ss}')
    def get_shared(self):
        self.d.record('get_shared')
        return dbus.Array([string_dict(s) for s in
                           self.d.state.shared.values()], signature='a{ss}')

    @dbus.service.method(SHARES_IFACE, in_signature='', out_signature='')
    def refresh_shares(self):
        # There is no server to ask; the list is always current.
        self.d.record('refresh_shares')

    @dbus.service.method(SHARES_IFACE, in_signature='s', out_signature='')
    def accept_share(self, share_id):
        self.d.record('accept_share', share_id)
        share = self._share(share_id)
        if share is None:
            self.d.emit(self.ShareAnswerResponse, string_dict(
                {'volume_id': share_id, 'answer': 'No',
                 'error': 'DOES_NOT_EXIST'}))
        elif self.d.answers_for.get(share_id, self.d.answer) == 'yes':
            share['accepted'] = 'True'
            self.d.state.save()
            self.d.emit(self.ShareAnswerResponse, string_dict(
                {'volume_id': share_id, 'answer': 'Yes'}))
            # The doc: NewShare fires again when the share becomes accepted.
            self.d.emit(self.NewShare, string_dict(share))
        elif self.d.answers_for.get(share_id, self.d.answer) == 'no':
            self.d.emit(self.ShareAnswerResponse, string_dict(
                {'volume_id': share_id, 'answer': 'No',
                 'error': 'simulated: the server refused'}))
        # 'silent': the server never answers; the call itself still returns.

    @dbus.service.method(SHARES_IFACE, in_signature='s', out_signature='')
    def reject_share(self, share_id):
        self.d.record('reject_share', share_id)
        if self.d.state.shares.pop(share_id, None) is None:
            self.d.emit(self.ShareAnswerResponse, string_dict(
                {'volume_id': share_id, 'answer': 'No',
                 'error': 'DOES_NOT_EXIST'}))
            return
        self.d.state.save()
        self.d.emit(self.ShareAnswerResponse, string_dict(
            {'volume_id': share_id, 'answer': 'No'}))

    @dbus.service.method(SHARES_IFACE, in_signature='s', out_signature='')
    def subscribe(self, share_id):
        self.d.record('subscribe', share_id)
        share = self._share(share_id)
        if share is None:
            self.d.emit(self.ShareSubscribeError, volume_info(share_id),
                        'DOES_NOT_EXIST')
        elif not share['accepted']:
            self.d.emit(self.ShareSubscribeError, volume_info(share_id),
                        'not accepted')
        else:
            os.makedirs(share['path'], exist_ok=True)
            share['subscribed'] = 'True'
            self.d.state.save()
            self.d.emit(self.ShareSubscribed, string_dict(share))

    @dbus.service.method(SHARES_IFACE, in_signature='s', out_signature='')
    def unsubscribe(self, share_id):
        self.d.record('unsubscribe', share_id)
        share = self._share(share_id)
        if share is None:
            self.d.emit(self.ShareUnSubscribeError, volume_info(share_id),
                        'DOES_NOT_EXIST')
            return
        share['subscribed'] = ''
        self.d.state.save()
        self.d.emit(self.ShareUnSubscribed, string_dict(share))

    @dbus.service.method(SHARES_IFACE, in_signature='s', out_signature='')
    def delete_share(self, share_id):
        # Both kinds, like the real daemon: a share to me or one from me.
        self.d.record('delete_share', share_id)
        state = self.d.state
        share = state.shares.pop(share_id, None) \
            or state.shared.pop(share_id, None)
        if share is None:
            self.d.emit(self.ShareDeleteError, volume_info(share_id),
                        'DOES_NOT_EXIST')
            return
        state.save()
        self.d.emit(self.ShareDeleted, string_dict(share))

    @dbus.service.method(SHARES_IFACE, in_signature='ssss', out_signature='')
    def create_share(self, path, username, name, access_level):
        self.d.record('create_share', path)
        self._create_share(path, username, name, access_level)

    @dbus.service.method(SHARES_IFACE, in_signature='sasss', out_signature='')
    def create_shares(self, path, usernames, name, access_level):
        self.d.record('create_shares', path)
        for username in usernames:
            self._create_share(path, username, name, access_level)

    def _create_share(self, path, username, name, access_level):
        # Like the real daemon, a path it does not know is a D-Bus error of
        # the call itself; the server's outcome comes as a signal.
        if not os.path.isdir(path):
            raise ValueError("path '%s' does not exist" % path)
        if access_level not in ('View', 'Modify'):
            self.d.emit(self.ShareCreateError, string_dict(
                {'path': path, 'marker': ''}),
                'invalid access level: %s' % access_level)
            return
        volume_id = str(uuid.uuid4())
        share = {
            'volume_id': volume_id, 'node_id': str(uuid.uuid4()),
            'generation': '0', 'type': 'Shared', 'path': path, 'name': name,
            'other_username': username, 'other_visible_name': '',
            'accepted': '', 'subscribed': '', 'access_level': access_level,
            'free_bytes': FREE_BYTES}
        self.d.state.shared[volume_id] = share
        self.d.state.save()
        self.d.emit(self.ShareCreated, string_dict(share))

    @dbus.service.signal(SHARES_IFACE, signature='a{ss}')
    def NewShare(self, share):
        pass

    @dbus.service.signal(SHARES_IFACE, signature='a{ss}')
    def ShareChanged(self, share):
        pass

    @dbus.service.signal(SHARES_IFACE, signature='a{ss}')
    def ShareDeleted(self, share):
        pass

    @dbus.service.signal(SHARES_IFACE, signature='a{ss}')
    def ShareCreated(self, share):
        pass

    @dbus.service.signal(SHARES_IFACE, signature='a{ss}')
    def ShareAnswerResponse(self, answer_info):
        pass

    @dbus.service.signal(SHARES_IFACE, signature='a{ss}')
    def ShareSubscribed(self, share):
        pass

    @dbus.service.signal(SHARES_IFACE, signature='a{ss}')
    def ShareUnSubscribed(self, share):
        pass

    @dbus.service.signal(SHARES_IFACE, signature='a{ss}s')
    def ShareDeleteError(self, info, error):
        pass

    @dbus.service.signal(SHARES_IFACE, signature='a{ss}s')
    def ShareCreateError(self, info, error):
        pass

    @dbus.service.signal(SHARES_IFACE, signature='a{ss}s')
    def ShareSubscribeError(self, info, error):
        pass

    @dbus.service.signal(SHARES_IFACE, signature='a{ss}s')
    def ShareUnSubscribeError(self, info, error):
        pass


class FoldersObject(dbus.service.Object):
    """``/folders``: com.ubuntuone.SyncDaemon.Folders (user-defined folders)."""

    def __init__(self, bus, daemon):
        super().__init__(bus, '/folders')
        self.d = daemon

    def _folder(self, folder_id):
        return self.d.state.folders.get(folder_id)

    @dbus.service.method(FOLDERS_IFACE, in_signature='s', out_signature='')
    def create(self, path):
        self.d.record('create', path)
        folders = self.d.state.folders
        if not os.path.isabs(path):
            self.d.emit(self.FolderCreateError, string_dict({'path': path}),
                        'INVALID_PATH')
            return
        if any(f['path'] == path for f in folders.values()):
            self.d.emit(self.FolderCreateError, string_dict({'path': path}),
                        'ALREADY_EXISTS')
            return
        os.makedirs(path, exist_ok=True)
        volume_id = str(uuid.uuid4())
        # A local request, so the new folder is subscribed (as in the daemon).
        folder = {'volume_id': volume_id, 'node_id': str(uuid.uuid4()),
                  'generation': '0', 'type': 'UDF', 'path': path,
                  'suggested_path': path, 'subscribed': 'True'}
        folders[volume_id] = folder
        self.d.state.save()
        self.d.emit(self.FolderCreated, string_dict(folder))

    @dbus.service.method(FOLDERS_IFACE, in_signature='s', out_signature='')
    def delete(self, folder_id):
        self.d.record('delete', folder_id)
        folder = self.d.state.folders.pop(folder_id, None)
        if folder is None:
            self.d.emit(self.FolderDeleteError, volume_info(folder_id),
                        'DOES_NOT_EXIST')
            return
        self.d.state.save()
        self.d.emit(self.FolderDeleted, string_dict(folder))

    @dbus.service.method(FOLDERS_IFACE, in_signature='',
                         out_signature='aa{ss}')
    def get_folders(self):
        self.d.record('get_folders')
        return dbus.Array([string_dict(f) for f in
                           self.d.state.folders.values()], signature='a{ss}')

    @dbus.service.method(FOLDERS_IFACE, in_signature='s', out_signature='')
    def subscribe(self, folder_id):
        self.d.record('subscribe', folder_id)
        self._set_subscribed(folder_id, True, self.FolderSubscribed,
                             self.FolderSubscribeError)

    @dbus.service.method(FOLDERS_IFACE, in_signature='s', out_signature='')
    def unsubscribe(self, folder_id):
        self.d.record('unsubscribe', folder_id)
        self._set_subscribed(folder_id, False, self.FolderUnSubscribed,
                             self.FolderUnSubscribeError)

    def _set_subscribed(self, folder_id, subscribed, ok_signal, error_signal):
        folder = self._folder(folder_id)
        if folder is None:
            self.d.emit(error_signal, volume_info(folder_id), 'DOES_NOT_EXIST')
            return
        folder['subscribed'] = bool_str(subscribed)
        self.d.state.save()
        self.d.emit(ok_signal, string_dict(folder))

    @dbus.service.method(FOLDERS_IFACE, in_signature='s',
                         out_signature='a{ss}')
    def get_info(self, path):
        # The real daemon answers {} for a path that is not a folder.
        self.d.record('get_info', path)
        for folder in self.d.state.folders.values():
            if folder['path'] == path:
                return string_dict(folder)
        return string_dict({})

    @dbus.service.method(FOLDERS_IFACE, in_signature='', out_signature='')
    def refresh_volumes(self):
        self.d.record('refresh_volumes')

    @dbus.service.signal(FOLDERS_IFACE, signature='a{ss}')
    def FolderCreated(self, folder):
        pass

    @dbus.service.signal(FOLDERS_IFACE, signature='a{ss}')
    def FolderDeleted(self, folder):
        pass

    @dbus.service.signal(FOLDERS_IFACE, signature='a{ss}')
    def FolderSubscribed(self, folder):
        pass

    @dbus.service.signal(FOLDERS_IFACE, signature='a{ss}')
    def FolderUnSubscribed(self, folder):
        pass

    @dbus.service.signal(FOLDERS_IFACE, signature='a{ss}s')
    def FolderCreateError(self, info, error):
        pass

    @dbus.service.signal(FOLDERS_IFACE, signature='a{ss}s')
    def FolderDeleteError(self, info, error):
        pass

    @dbus.service.signal(FOLDERS_IFACE, signature='a{ss}s')
    def FolderSubscribeError(self, info, error):
        pass

    @dbus.service.signal(FOLDERS_IFACE, signature='a{ss}s')
    def FolderUnSubscribeError(self, info, error):
        pass


class ControlObject(dbus.service.Object):
    """``/test/control``: TEST-ONLY, NOT PART OF THE REAL SYNC DAEMON.

    Plays the server side: another user offers a share, a file finishes
    downloading, the owner deletes a share; and lets a test switch the
    server's answers and the delivery of signals.
    """

    def __init__(self, bus, daemon):
        super().__init__(bus, CONTROL_PATH)
        self.d = daemon

    @dbus.service.method(CONTROL_IFACE, in_signature='sss', out_signature='s')
    def offer(self, owner, visible_name, name):
        share = self.d.new_share(owner, visible_name, name)
        self.d.state.save()
        log('offered %s from %s' % (share['volume_id'], owner))
        self.d.emit(self.d.shares_object.NewShare, string_dict(share))
        return share['volume_id']

    @dbus.service.method(CONTROL_IFACE, in_signature='is', out_signature='as')
    def offer_many(self, count, owner_prefix):
        if count < 0:
            raise ControlError('count must not be negative: %d' % count)
        visible_prefix = owner_prefix[:1].upper() + owner_prefix[1:]
        shares = [self.d.new_share('%s%d' % (owner_prefix, n),
                                   '%s%d' % (visible_prefix, n),
                                   '%s%d Trophies Folder' % (owner_prefix, n))
                  for n in range(1, count + 1)]
        self.d.state.save()  # once for the batch, not once per share
        log('offered %d shares from %s*' % (count, owner_prefix))
        for share in shares:
            self.d.emit(self.d.shares_object.NewShare, string_dict(share))
        return dbus.Array([s['volume_id'] for s in shares], signature='s')

    @dbus.service.method(CONTROL_IFACE, in_signature='s', out_signature='')
    def set_answer(self, mode):
        if mode not in ANSWER_MODES:
            raise ControlError('answer mode must be one of %s, not %r'
                               % ('|'.join(ANSWER_MODES), str(mode)))
        self.d.answer = mode
        log('answer mode %s' % mode)

    @dbus.service.method(CONTROL_IFACE, in_signature='ss', out_signature='')
    def set_answer_for(self, volume_id, mode):
        """The answer mode for one share only ('' to follow set_answer again)."""
        if mode == '':
            self.d.answers_for.pop(str(volume_id), None)
        elif mode not in ANSWER_MODES:
            raise ControlError('answer mode must be one of %s, not %r'
                               % ('|'.join(ANSWER_MODES), str(mode)))
        else:
            self.d.answers_for[str(volume_id)] = str(mode)
        log('answer mode %s for %s' % (mode or 'default', volume_id))

    @dbus.service.method(CONTROL_IFACE, in_signature='sss', out_signature='s')
    def claim(self, volume_id, visible_name, name):
        """A hostile or broken server: get_shares also lists a second, pending
        entry under an existing share's volume_id, with another owner and path
        (created on disk).  Not kept in the state file.  Returns the path."""
        share = self.d.state.shares.get(volume_id)
        if share is None:
            raise ControlError('no share %s' % volume_id)
        entry = dict(share)
        entry.update({'node_id': str(uuid.uuid4()), 'name': name,
                      'other_username': visible_name.lower(),
                      'other_visible_name': visible_name,
                      'path': self.d.share_path(name, visible_name, volume_id),
                      'accepted': '', 'subscribed': ''})
        os.makedirs(entry['path'], exist_ok=True)
        self.d.claims.append(entry)
        log('claim on %s listed at %s' % (volume_id, entry['path']))
        self.d.emit(self.d.shares_object.NewShare, string_dict(entry))
        return entry['path']

    @dbus.service.method(CONTROL_IFACE, in_signature='b', out_signature='')
    def set_signals(self, on):
        self.d.signals_on = bool(on)
        log('signals %s' % ('on' if on else 'off'))

    def _target(self, volume_id, relative_path):
        """The absolute path of a file in an accepted, subscribed share."""
        share = self.d.state.shares.get(volume_id)
        if share is None:
            raise ControlError('no share %s' % volume_id)
        if not (share['accepted'] and share['subscribed']):
            raise ControlError('share %s is not accepted and subscribed '
                               '(accepted=%r, subscribed=%r)' % (
                                   volume_id, share['accepted'],
                                   share['subscribed']))
        parts = relative_path.split('/')
        if not relative_path or os.path.isabs(relative_path) \
                or '..' in parts or '\0' in relative_path \
                or all(p in ('', '.') for p in parts):
            raise ControlError('not a relative file path inside the share: %r'
                               % relative_path)
        return os.path.normpath(os.path.join(share['path'], relative_path))

    @dbus.service.method(CONTROL_IFACE, in_signature='ssay',
                         out_signature='s', byte_arrays=True)
    def deliver(self, volume_id, relative_path, content):
        target = self._target(volume_id, relative_path)
        directory = os.path.dirname(target)
        try:
            os.makedirs(directory, exist_ok=True)
            # The daemon downloads to a partial file and moves the finished
            # file into place, so a reader never sees a half-written file.
            fd, tmp = tempfile.mkstemp(dir=directory, prefix='.u1partial-')
            try:
                with os.fdopen(fd, 'wb') as f:
                    f.write(content)
                os.chmod(tmp, 0o644)
                os.rename(tmp, target)
            except BaseException:
                if os.path.exists(tmp):
                    os.unlink(tmp)
                raise
        except OSError as e:
            raise ControlError('cannot write %s: %s' % (target, e))
        share = self.d.state.shares[volume_id]
        share['generation'] = str(int(share['generation']) + 1)
        self.d.state.save()
        log('delivered %s (%d bytes)' % (target, len(content)))
        self.d.emit(self.d.status_object.DownloadFinished, target,
                    string_dict({}))
        return target

    @dbus.service.method(CONTROL_IFACE, in_signature='ss', out_signature='')
    def fail_download(self, volume_id, relative_path):
        target = self._target(volume_id, relative_path)
        log('failed download of %s' % target)
        self.d.emit(self.d.status_object.DownloadFinished, target,
                    string_dict({'error': 'simulated download failure'}))

    @dbus.service.method(CONTROL_IFACE, in_signature='s', out_signature='')
    def delete(self, volume_id):
        # The owner deleted the share on the server; local files stay.
        share = self.d.state.shares.pop(volume_id, None)
        if share is None:
            raise ControlError('no share %s' % volume_id)
        self.d.state.save()
        log('deleted share %s' % volume_id)
        self.d.emit(self.d.shares_object.ShareDeleted, string_dict(share))

    @dbus.service.method(CONTROL_IFACE, in_signature='',
                         out_signature='a(ss)')
    def calls(self):
        return dbus.Array([dbus.Struct(c, signature='ss')
                           for c in self.d.calls], signature='(ss)')

    @dbus.service.method(CONTROL_IFACE, in_signature='', out_signature='')
    def reset_calls(self):
        self.d.calls.clear()


def parse_args(argv):
    parser = argparse.ArgumentParser(
        description='A test stand-in for the sync daemon on D-Bus.')
    parser.add_argument('--shares-dir', required=True,
                        help="the daemon's shares directory")
    parser.add_argument('--root-dir',
                        help='the root directory (default: parent of '
                             'the shares directory)')
    parser.add_argument('--state',
                        help='JSON file the shares are loaded from and '
                             'saved to after every change')
    parser.add_argument('--address',
                        help='bus address (default: '
                             '$DBUS_SESSION_BUS_ADDRESS)')
    parser.add_argument('--answer', choices=ANSWER_MODES, default='yes',
                        help="the server's answer to accept_share")
    args = parser.parse_args(argv)
    args.address = args.address or os.environ.get('DBUS_SESSION_BUS_ADDRESS')
    if not args.address:
        parser.error('no --address and no DBUS_SESSION_BUS_ADDRESS')
    return args


def main(argv):
    args = parse_args(argv)
    loop = GLib.MainLoop()
    daemon = Daemon(args, loop)
    os.makedirs(daemon.shares_dir, exist_ok=True)

    dbus.mainloop.glib.DBusGMainLoop(set_as_default=True)
    try:
        bus = dbus.bus.BusConnection(args.address)
    except dbus.DBusException as e:
        log('cannot connect to %s: %s' % (args.address, e))
        return 1

    # Export every object before taking the name, so a client that sees the
    # name appear can call any of them at once.
    daemon.root_object = SyncDaemonObject(bus, daemon)
    daemon.status_object = StatusObject(bus, daemon)
    daemon.shares_object = SharesObject(bus, daemon)
    daemon.folders_object = FoldersObject(bus, daemon)
    daemon.control_object = ControlObject(bus, daemon)

    reply = bus.request_name(BUS_NAME, dbus.bus.NAME_FLAG_DO_NOT_QUEUE)
    if reply != dbus.bus.REQUEST_NAME_REPLY_PRIMARY_OWNER:
        log('the name %s is already taken on %s (request_name answered %d)'
            % (BUS_NAME, args.address, reply))
        return 3

    def on_signal():
        log('terminating on signal')
        daemon.quit(0)
        return GLib.SOURCE_REMOVE

    for signum in (signal.SIGTERM, signal.SIGINT):
        GLib.unix_signal_add(GLib.PRIORITY_HIGH, signum, on_signal)

    def on_disconnected(_connection):
        # The session bus went away: the real daemon (exit_on_disconnect on
        # its session bus) dies too.
        log('lost the bus connection')
        daemon.quit(4)

    bus.call_on_disconnection(on_disconnected)

    log('serving %s on %s (shares dir %s, state %s, answer %s)' % (
        BUS_NAME, args.address, daemon.shares_dir, args.state, args.answer))
    print('READY %s' % bus.get_unique_name(), flush=True)
    loop.run()
    if daemon.exit_code != 4:
        bus.flush()  # e.g. the reply to quit()
    return daemon.exit_code


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
