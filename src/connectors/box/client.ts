import { BoxSource } from '../../kit/file-sources/box.ts';
import type { BoxSettings } from './settings.ts';

/** The connection's Box folder as a file drop (the official Box SDK, pointed at apiBaseUrl when set). */
export function openBox(s: BoxSettings): BoxSource {
  return new BoxSource({ clientId: s.clientId, clientSecret: s.clientSecret, enterpriseId: s.enterpriseId, userId: s.userId, rootFolderId: s.rootFolderId, apiBaseUrl: s.apiBaseUrl, uploadBaseUrl: s.uploadBaseUrl });
}
