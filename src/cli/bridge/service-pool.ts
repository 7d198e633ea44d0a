import { SocketConnection, VarlinkError } from "@varlink-ts/runtime";

// Connections to one bridged service, kept open between requests: a request borrows an idle
// connection (or opens one) and gives it back when its call is done, so a busy bridge does not
// pay a connect per call. Only addresses from the command line ever get here.

const maxIdle = 16;

export class ServicePool {
  private readonly idle: SocketConnection[] = [];
  private closed = false;

  constructor(readonly address: string) {}

  private async acquire(): Promise<SocketConnection> {
    const client = this.idle.pop();
    if (client !== undefined) return client;
    return SocketConnection.connect(this.address);
  }

  /**
   * Runs `work` on a pooled connection. The connection goes back to the pool when the work
   * succeeds or ends in an error reply (which leaves it as good as before); anything else
   * (lost connection, timeout, abort) closes it.
   */
  async use<T>(work: (client: SocketConnection) => Promise<T>): Promise<T> {
    const client = await this.acquire();
    let reusable = false;
    try {
      const result = await work(client);
      reusable = true;
      return result;
    } catch (error) {
      reusable = error instanceof VarlinkError;
      throw error;
    } finally {
      this.release(client, reusable);
    }
  }

  /** Back to the pool if it is still healthy and the call finished cleanly; closed otherwise. */
  private release(client: SocketConnection, reusable: boolean): void {
    if (reusable && !this.closed && this.idle.length < maxIdle) {
      this.idle.push(client);
      void client.closed.then(() => {
        const index = this.idle.indexOf(client);
        if (index >= 0) this.idle.splice(index, 1);
      });
    } else void client.close();
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.idle.splice(0).map((client) => client.close()));
  }
}
