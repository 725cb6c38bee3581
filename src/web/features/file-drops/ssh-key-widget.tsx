import { useState } from 'react';
import { api } from '../../api/client.ts';
import { ErrorMessage } from '../../components/error-message.tsx';
import type { WidgetProps } from '../../components/schema-form.tsx';
import { useAction } from '../../lib/use-api.ts';

/** Saves text as a file in the browser's downloads. */
function saveAs(name: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'text/plain' }));
  const a = Object.assign(document.createElement('a'), { href: url, download: name });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/**
 * Beside a settings field of format "ssh-private-key": generates a key pair, puts the private key in the field
 * (saved encrypted with the connection) and downloads the public key for the server's authorized_keys.
 */
export function SshKeyWidget({ id, setValue }: WidgetProps) {
  const [pair, setPair] = useState<{ publicKey: string; fingerprint: string }>();
  const gen = useAction(async () => {
    const r = await api.post('/api/v1/ssh-key-pairs', { body: { type: 'ed25519' } });
    setValue(r.privateKey);
    setPair({ publicKey: r.publicKey, fingerprint: r.fingerprint });
    saveAs('lmc-sftp-key.pub', `${r.publicKey.trim()}\n`);
  });
  return (
    <div className="stack">
      <div><button type="button" onClick={() => void gen.run()} disabled={gen.busy}>Generate SSH key</button></div>
      <ErrorMessage error={gen.error} />
      {pair ? (
        <div className="ok-box" role="status">
          A new key pair is in the form (the private key is stored encrypted when you save). The public key was downloaded as lmc-sftp-key.pub:
          add it to the server's authorized_keys. Its fingerprint is <span className="code">{pair.fingerprint}</span>.
          <label htmlFor={id}>Public key</label>
          <textarea id={id} readOnly rows={3} value={pair.publicKey} />
        </div>
      ) : null}
    </div>
  );
}

/** The field widgets of the connection forms, by JSON-schema format. */
export const connectionWidgets = { 'ssh-private-key': SshKeyWidget };
