-- Every service gets a short code for the SMS-Activate compatible API (GET /stubs/handler_api.php, decision 0023):
-- the protocol's own code where the protocol has a well-known one for the service, else a code of FetchSMS's own.
-- A service added later must be given one (NOT NULL); codes are lower-case letters and digits, 1 to 10 characters.
ALTER TABLE service ADD COLUMN activate_code TEXT;

UPDATE service s SET activate_code = c.code
FROM (VALUES
    ('unlimited-services', 'full'),
    ('whatsapp', 'wa'), ('google', 'go'), ('telegram', 'tg'), ('facebook', 'fb'), ('instagram', 'ig'),
    ('tiktok', 'lf'), ('discord', 'ds'), ('microsoft', 'mm'), ('apple', 'wx'), ('amazon', 'am'), ('uber', 'ub'),
    ('lyft', 'tu'), ('paypal', 'ts'), ('venmo', 'yy'), ('cashapp', 'it'), ('coinbase', 're'), ('tinder', 'oi'),
    ('bumble', 'mo'), ('hinge', 'vz'), ('snapchat', 'fu'), ('twitter', 'tw'), ('signal', 'bw'), ('viber', 'vi'),
    ('wechat', 'wb'), ('line', 'me'), ('netflix', 'nf'), ('airbnb', 'ab'), ('doordash', 'ac'), ('openai', 'dr'),
    ('yahoo', 'mb'), ('linkedin', 'tn'), ('ebay', 'dh'), ('steam', 'mt'), ('robinhood', 'rb'), ('chime', 'ch'),
    ('instacart', 'ic'), ('grubhub', 'gh'), ('kakaotalk', 'kt'), ('reddit', 'rd'), ('twitch', 'hb'), ('nike', 'ew')
) AS c (slug, code)
WHERE s.slug = c.slug;

-- any service this list does not name (none at the time of writing): its id, prefixed
UPDATE service SET activate_code = 's' || id WHERE activate_code IS NULL;

ALTER TABLE service ALTER COLUMN activate_code SET NOT NULL;
ALTER TABLE service ADD CONSTRAINT service_activate_code_key UNIQUE (activate_code);
ALTER TABLE service ADD CONSTRAINT service_activate_code_check CHECK (activate_code ~ '^[a-z0-9]{1,10}$');
