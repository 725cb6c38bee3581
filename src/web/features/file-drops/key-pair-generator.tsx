import { useState } from 'react';
import { api } from '../../api/client.ts';
import { ErrorMessage } from '../../components/error-message.tsx';
import { useAction } from '../../lib/use-api.ts';

/** Custom FTP certificate login: generates a key pair, puts the private key in the form, shows the public key. */
export function KeyPairGenerator({ onPrivateKey }: { onPrivateKey(key: string): void }) {
  const [pair, setPair] = useState<{ publicKey: string; fingerprint: string }>();
  const gen = useAction(async () => {
    const r = await api.post('/api/v1/connectors/custom-ftp/key-pair', { body: { type: 'ed25519' } });
    onPrivateKey(r.privateKey);
    setPair({ publicKey: r.publicKey, fingerprint: r.fingerprint });
  });
  return (
    <div className="stack">
      <div><button type="button" onClick={() => void gen.run()} disabled={gen.busy}>Generate an SSH key pair</button></div>
      <ErrorMessage error={gen.error} />
      {pair ? (
        <label>
          Public key to put in the server's authorized_keys ({pair.fingerprint}); the private key is in the form and is stored encrypted
          <textarea readOnly rows={3} value={pair.publicKey} />
        </label>
      ) : null}
    </div>
  );
}
