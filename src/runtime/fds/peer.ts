/** The process at the other end of a unix socket, as it was when it connected (SO_PEERCRED). */
export interface PeerCredentials {
  readonly pid: number;
  readonly uid: number;
  readonly gid: number;
}
