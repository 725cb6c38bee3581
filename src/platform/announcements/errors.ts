import { defineErrors } from '../../shared/errors.ts';

export const AnnouncementErrors = defineErrors('ANNOUNCEMENT', {
  NOT_FOUND: { status: 404, message: 'announcement not found' },
  BAD_PERIOD: { status: 400, message: 'an announcement must end after it starts' },
});
