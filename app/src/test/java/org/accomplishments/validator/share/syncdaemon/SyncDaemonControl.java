package org.accomplishments.validator.share.syncdaemon;

import org.freedesktop.dbus.Struct;
import org.freedesktop.dbus.annotations.DBusInterfaceName;
import org.freedesktop.dbus.annotations.DBusMemberName;
import org.freedesktop.dbus.annotations.Position;
import org.freedesktop.dbus.interfaces.DBusInterface;

import java.util.List;

/**
 * The test sync daemon's control object ({@code /test/control}): the server side of the fixture. This interface
 * is NOT part of the real sync daemon; it stands in for other users and the file-sync server. A refused call
 * throws {@link org.freedesktop.dbus.exceptions.DBusExecutionException} with the fixture's message
 * (error name {@code org.accomplishments.test.SyncDaemonControl.Error}).
 *
 * <p>Get a proxy from {@link TestSyncDaemon#control()}.
 */
@DBusInterfaceName("org.accomplishments.test.SyncDaemonControl")
public interface SyncDaemonControl extends DBusInterface {

    /** Another user offers a share: a pending share appears and {@code NewShare} is emitted. Returns its id. */
    String offer(String owner, String visibleName, String name);

    /**
     * {@code count} offers from {@code <prefix>1..<prefix>count} (visible names capitalised, names
     * {@code "<prefix><n> Trophies Folder"}), one {@code NewShare} each; returns the ids in that order.
     */
    @DBusMemberName("offer_many")
    List<String> offerMany(int count, String ownerPrefix);

    /** How the "server" answers {@code accept_share}: {@code "yes"}, {@code "no"} (refused) or {@code "silent"}. */
    @DBusMemberName("set_answer")
    void setAnswer(String mode);

    /** The answer mode for one share only; {@code ""} makes it follow {@link #setAnswer} again. */
    @DBusMemberName("set_answer_for")
    void setAnswerFor(String volumeId, String mode);

    /**
     * A hostile or broken server: {@code get_shares} also lists a second, pending entry under an existing share's
     * volume id, with another owner ({@code visibleName} lower-cased) and folder (created); returns that folder.
     */
    String claim(String volumeId, String visibleName, String name);

    /** {@code false}: every signal of the documented interfaces is dropped, as when signals were missed. */
    @DBusMemberName("set_signals")
    void setSignals(boolean on);

    /**
     * A file of an accepted and subscribed share finishes downloading: written to a partial file, renamed into
     * place, then {@code DownloadFinished(path, {})}. Returns the absolute path.
     */
    String deliver(String volumeId, String relativePath, byte[] content);

    /** {@code DownloadFinished(path, {'error': ...})} for that path; nothing is written. */
    @DBusMemberName("fail_download")
    void failDownload(String volumeId, String relativePath);

    /** The owner deletes the share: it leaves {@code get_shares} (files stay) and {@code ShareDeleted} is emitted. */
    void delete(String volumeId);

    /** The documented-interface method calls received so far, in order. */
    List<Call> calls();

    @DBusMemberName("reset_calls")
    void resetCalls();

    /** One logged call, {@code (ss)}: the member name and its first string argument ({@code ""} if none). */
    final class Call extends Struct {
        @Position(0)
        public final String member;
        @Position(1)
        public final String argument;

        public Call(String member, String argument) {
            this.member = member;
            this.argument = argument;
        }
    }
}
