# Web console (/console/) for verifiers, helpdesk agents and admins, plus report files.
# Every id starts with "console-".

console-brand = Asisten Tangerang LIVE
console-subtitle = Konsol Petugas
console-title = Konsol
console-skip-to-content = Langsung ke isi halaman
console-nav-label = Menu utama
console-nav-home = Beranda
console-nav-queue = Daftar Verifikasi
console-nav-reports = Rekapitulasi
console-nav-audit = Log Audit
console-nav-users = Pengguna
console-nav-tokens = Token API
console-nav-settings = Pengaturan
console-nav-account = Akun saya
console-signed-in-as = Masuk sebagai { $username } ({ $role })
console-logout = Keluar
console-logout-done = Anda sudah keluar.
console-back-home = Kembali ke beranda
console-back-queue = Kembali ke daftar
console-yes = Ya
console-no = Tidak

console-role-verifier = Verifikator
console-role-agent = Petugas helpdesk
console-role-admin = Admin

## Sign in
console-login-title = Masuk ke Konsol Petugas
console-login-intro = Masukkan nama pengguna dan kata sandi yang diberikan admin.
console-login-username = Nama pengguna
console-login-password = Kata sandi
console-login-submit = Masuk
console-login-error-bad = Nama pengguna atau kata sandi salah.
console-login-error-blocked = Terlalu banyak percobaan gagal. Tunggu 15 menit, lalu coba lagi.
console-login-error-csrf = Halaman masuk sudah kedaluwarsa. Muat ulang halaman, lalu coba lagi.

## Errors
console-error-title = Tidak dapat dibuka
console-error-forbidden = Peran Anda tidak diizinkan membuka halaman ini.
console-error-csrf = Formulir sudah kedaluwarsa. Muat ulang halaman, lalu coba lagi.
console-error-login_blocked = Terlalu banyak percobaan gagal. Tunggu 15 menit, lalu coba lagi.

## Home
console-home-title = Beranda
console-home-greeting = Selamat datang, { $username }
console-home-numbers = Angka hari ini
console-home-waiting = permintaan menunggu verifikasi
console-home-overdue = lewat batas { $hours } jam
console-home-approved-today = disetujui hari ini
console-home-rejected-today = ditolak hari ini
console-home-start = Mulai verifikasi (permintaan terlama)
console-home-open-queue = Lihat daftar verifikasi
console-home-keys-hint = Tombol keyboard di halaman permintaan: A lalu Enter setujui · R tolak, lalu 1–7 pilih alasan dan Enter kirim · N lewati.
console-home-faq-digest-title = Pertanyaan warga yang belum terjawab, { $days } hari terakhir
console-home-faq-digest-intro = { $count } pertanyaan menunggu; yang paling sering ditanyakan:
console-home-faq-digest-question = Pertanyaan
console-home-faq-digest-asked = Ditanyakan
console-home-faq-digest-nearest = Hampir dijawab dengan
console-home-faq-digest-no-nearest = tidak ada yang mendekati
console-home-faq-digest-answered-now = kini terjawab
console-home-faq-digest-empty = Tidak ada pertanyaan yang belum terjawab dalam { $days } hari terakhir.
console-home-faq-digest-open = Buka kotak pertanyaan belum terjawab

## Account
console-account-title = Akun saya
console-account-username = Nama pengguna
console-account-role = Peran
console-account-password-title = Ganti kata sandi
console-account-current = Kata sandi sekarang
console-account-new = Kata sandi baru (minimal { $min } karakter)
console-account-confirm = Ulangi kata sandi baru
console-account-save = Simpan kata sandi
console-account-password-changed = Kata sandi sudah diganti. Sesi Anda di perangkat lain sudah diakhiri.
console-account-error-mismatch = Kedua kata sandi baru tidak sama.
console-account-error-password_short = Kata sandi terlalu pendek (minimal { $min } karakter).
console-account-error-password_long = Kata sandi terlalu panjang.
console-account-error-password_wrong = Kata sandi sekarang salah.
console-account-error-username_invalid = Nama pengguna hanya boleh huruf kecil, angka, titik, garis bawah atau tanda hubung (2–48 karakter).
console-account-error-username_taken = Nama pengguna itu sudah dipakai.
console-account-error-role_invalid = Peran tidak dikenal.
console-account-error-user_not_found = Pengguna tidak ditemukan.
console-account-error-self_deactivate = Anda tidak dapat menonaktifkan akun sendiri.
console-account-error-token_name_invalid = Nama token hanya boleh huruf, angka, spasi, titik, garis bawah atau tanda hubung (1–48 karakter).
console-account-error-token_not_found = Token tidak ditemukan.

## Durations
console-duration-days = { $days } hari { $hours } jam
console-duration-hours = { $hours } jam { $minutes } mnt
console-duration-minutes = { $minutes } mnt

## Queue (Daftar Verifikasi User)
console-queue-title = Daftar Verifikasi User
console-queue-start = Periksa yang terlama
console-queue-intro = Permintaan terlama di atas. Batas waktu verifikasi { $hours } jam sejak diajukan; yang lewat batas ditandai merah.
console-queue-count = { $count ->
    [0] Tidak ada permintaan.
    [one] 1 permintaan.
   *[other] { $count } permintaan.
}
console-queue-empty = Tidak ada permintaan yang cocok dengan saringan ini.
console-queue-empty-done = Semua permintaan sudah diperiksa. Terima kasih!
console-filter-label = Saring daftar
console-filter-status = Status
console-filter-kecamatan = Kecamatan
console-filter-channel = Kanal
console-filter-from = Dari tanggal
console-filter-to = Sampai tanggal
console-filter-all = Semua
console-filter-apply = Terapkan
console-filter-reset = Hapus saringan
console-col-reference = No. pendaftaran
console-col-nik = NIK
console-col-submitted = Diajukan
console-col-age = Umur
console-col-time-left = Sisa waktu
console-col-status = Status
console-col-kecamatan = Kecamatan
console-col-channel = Kanal
console-col-flags = Tanda
console-col-claim = Diperiksa oleh
console-sla-left = sisa { $time }
console-sla-overdue = lewat batas { $time }
console-claim-taken-by = { $username }
console-claim-you = Anda
console-claim-taken = Permintaan ini sedang diperiksa oleh { $username } sampai { $until }. Silakan buka permintaan berikutnya.
console-claim-lost = Permintaan ini sekarang dipegang petugas lain.
console-pager-label = Halaman
console-pager-prev = ‹ Sebelumnya
console-pager-next = Berikutnya ›
console-pager-page = Halaman { $page } dari { $pages }

console-status-draft = Draf
console-status-submitted = Menunggu verifikasi
console-status-approved = Disetujui
console-status-rejected = Ditolak
console-status-all = Semua status

console-channel-web = Web chat
console-channel-telegram = Telegram
console-channel-whatsapp = WhatsApp
console-channel-terminal = Terminal

## One request
console-detail-title = Permintaan { $reference }
console-detail-submitted = Diajukan { $when } lewat { $channel }
console-detail-photos = Foto dokumen
console-detail-data = Data yang diketik warga
console-detail-flags = Perlu diperhatikan
console-detail-earlier = Permintaan sebelumnya
console-detail-earlier-none = Belum ada permintaan sebelumnya.
console-doc-ktp = Foto { $type }
console-doc-selfie = Selfie memegang { $type }
console-doc-alt-ktp = Foto KTP atau resi yang dikirim warga
console-doc-alt-selfie = Foto selfie warga memegang KTP atau resi
console-doc-missing = Foto tidak tersedia (belum dikirim atau sudah dihapus).
console-doctype-ktp = KTP-el
console-doctype-resi = resi KTP-el
console-photo-ktp = foto KTP
console-photo-selfie = selfie
console-zoom = Perbesar
console-rotate = Putar
console-reset-view = Ukuran asli
console-photo-keys = Roda mouse atau klik: perbesar · seret atau panah: geser · O: putar · 0: ukuran asli
console-field-full_name = Nama lengkap
console-field-nik = NIK
console-field-birth_date = Tanggal lahir
console-field-phone = Nomor HP
console-field-kecamatan = Kecamatan
console-field-kelurahan = Kelurahan
console-field-document_type = Jenis dokumen
console-flag-none = Tidak ada tanda peringatan.
console-flag-nik_outside_city = NIK bukan terbitan Kota Tangerang (bukan 36.71)
console-flag-birth_date_mismatch = Tanggal lahir berbeda dengan tanggal di NIK
console-flag-ocr_nik_mismatch = NIK terbaca di foto KTP berbeda dengan NIK yang diketik
console-flag-short-nik_outside_city = NIK luar kota
console-flag-short-birth_date_mismatch = Tgl lahir beda
console-flag-short-ocr_nik_mismatch = NIK foto beda
console-flag-duplicate_nik = NIK yang sama ada di permintaan lain:
console-flag-short-duplicate_nik = NIK ganda
console-flag-duplicate_override = Disetujui walau NIK ganda (dengan catatan petugas)
console-flag-short-photo = Foto
console-flag-photo = Peringatan { $photo }: { $problem }
console-problem-ktp-card-cut = kartu terpotong
console-problem-ktp-low-resolution = resolusi kartu rendah
console-problem-ktp-slightly-blurry = agak buram
console-problem-ktp-dark = agak gelap
console-problem-ktp-glare = ada pantulan cahaya
console-problem-selfie-slightly-blurry = agak buram
console-problem-selfie-dark = agak gelap
console-problem-selfie-glare = ada cahaya terlalu terang
console-problem-selfie-many-faces = lebih dari satu wajah
console-problem-selfie-face-small = wajah terlalu kecil
console-problem-selfie-face-cut = wajah terpotong
console-problem-ktp-nik-mismatch = NIK di foto berbeda
console-problem-ktp-nik-unreadable = NIK di foto tidak terbaca
console-problem-ktp-not-recognized = kartu tidak dikenali sebagai KTP

## Deciding
console-decide-title = Keputusan
console-keys-hint = Keyboard: A lalu Enter setujui · R tolak, lalu 1–7 pilih alasan dan Enter kirim · N lewati · Esc batal.
console-decide-approve = Setujui
console-decide-reject = Tolak
console-decide-reasons = Alasan penolakan
console-decide-note = Catatan untuk warga (wajib untuk "lainnya")
console-decide-confirm-reject = Kirim penolakan
console-decide-skip = Lewati
console-decide-next = Permintaan berikutnya
console-keys-approve-ready = Tekan Enter untuk MENYETUJUI, atau Esc untuk batal.
console-keys-reject-ready = Pilih alasan dengan angka 1–7, lalu tekan Enter.
console-keys-reason-picked = Alasan dipilih:
console-keys-note-needed = Tulis catatan untuk alasan "lainnya", lalu tekan Enter.
console-keys-cancelled = Dibatalkan.
console-reason-ktp_blurry = Foto KTP buram
console-reason-ktp_unreadable = KTP tidak terbaca
console-reason-face_not_visible = Wajah tidak terlihat
console-reason-selfie_without_ktp = Selfie tanpa KTP
console-reason-data_mismatch = Data tidak sesuai KTP
console-reason-not_ktp = Dokumen bukan KTP/resi
console-reason-other = Lainnya
console-decision-done-approved = { $reference } disetujui. Warga sudah diberi tahu.
console-decision-done-rejected = { $reference } ditolak. Warga sudah diberi tahu cara memperbaikinya.
console-decision-error-choice = Pilih setujui atau tolak.
console-decision-error-invalid_reason = Pilih alasan penolakan (1–7).
console-decision-error-note_required = Alasan "lainnya" memerlukan catatan untuk warga.
console-decision-error-already_decided = Permintaan ini sudah diputuskan petugas lain. Keputusan Anda tidak disimpan.
console-decision-error-not_submitted = Permintaan ini tidak sedang menunggu verifikasi.
console-decision-error-not_found = Permintaan tidak ditemukan.
console-decision-error-claimed = Permintaan ini sedang diperiksa petugas lain.
console-decision-error-duplicate_nik = NIK ini ada di permintaan lain yang menunggu atau sudah disetujui. Periksa permintaan itu dulu. Untuk tetap menyetujui, centang "Setujui walau NIK ganda" dan tulis alasannya.
console-decision-error-override_note_required = Tulis alasan menyetujui walau NIK ganda.
console-duplicate-title = NIK ganda
console-duplicate-intro = NIK yang sama ada di permintaan lain yang menunggu atau sudah disetujui. Bandingkan dulu sebelum menyetujui.
console-duplicate-override = Setujui walau NIK ganda
console-duplicate-note = Alasan (untuk petugas, tidak dikirim ke warga)
console-keys-duplicate-needed = NIK ganda: centang "Setujui walau NIK ganda" dan tulis alasannya, atau tolak.
console-queue-parked = Dilewati
console-decided-title = Sudah diputuskan
console-decided-outcome = Keputusan
console-decided-by = Oleh
console-decided-at = Waktu
console-decided-reason = Alasan
console-decided-note = Catatan

## Rekapitulasi
console-report-title = Rekapitulasi Registrasi dan Verifikasi
console-report-intro = Angka dihitung dari permintaan yang diajukan pada rentang tanggal ini (WIB). Batas waktu verifikasi: { $hours } jam.
console-report-download-xlsx = Unduh Excel (XLSX)
console-report-download-csv = Unduh CSV
console-report-chart-daily = Permintaan per hari
console-report-section-total = Ringkasan
console-report-section-day = Per hari
console-report-section-reason = Alasan penolakan
console-report-section-kecamatan = Per kecamatan
console-report-section-channel = Per kanal
console-report-section-age_group = Per kelompok usia
console-report-section-helpdesk = Helpdesk
console-report-helpdesk-intro = Waktu tunggu dihitung dari warga masuk antrean sampai petugas mengambil chat. Puas = nilai 4 atau 5 dari 5.
console-report-helpdesk-col-agent = Petugas
console-report-helpdesk-col-chats = Chat diambil
console-report-helpdesk-col-wait-median = Median tunggu (menit)
console-report-helpdesk-col-wait-p90 = P90 tunggu (menit)
console-report-helpdesk-col-ratings = Penilaian
console-report-helpdesk-col-rating-average = Rata-rata nilai
console-report-helpdesk-col-csat = Puas (%)
console-report-total-label = Total
console-report-col-section = Bagian
console-report-col-label = Kelompok
console-report-col-submitted = Diajukan
console-report-col-approved = Disetujui
console-report-col-rejected = Ditolak
console-report-col-pending = Menunggu
console-report-col-median = Median jam ke keputusan
console-report-col-p90 = P90 jam ke keputusan
console-report-col-breaches = Lewat batas waktu
console-report-sheet-summary = Ringkasan
console-report-sheet-rows = Daftar permintaan
console-report-meta-from = Dari tanggal
console-report-meta-to = Sampai tanggal
console-report-meta-sla = Batas waktu verifikasi (jam)
console-report-meta-generated = Dibuat
console-report-row-reference = No. pendaftaran
console-report-row-submitted = Diajukan (WIB)
console-report-row-decided = Diputuskan (WIB)
console-report-row-status = Status
console-report-row-reason = Alasan penolakan
console-report-row-hours = Jam ke keputusan
console-report-row-breach = Lewat batas waktu
console-report-row-kecamatan = Kecamatan
console-report-row-channel = Kanal
console-report-row-age_group = Kelompok usia
console-report-error-date = Tanggal tidak valid. Gunakan format TTTT-BB-HH.
console-report-error-order = Tanggal awal harus sebelum tanggal akhir.
console-report-error-long = Rentang paling panjang 366 hari.

## Audit log (Log pada Aplikasi Helpdesk)
console-audit-title = Log Audit
console-audit-intro = Setiap masuk, setiap foto dokumen yang dilihat, setiap keputusan dan setiap unduhan tercatat di sini. Log ini tidak dapat diubah atau dihapus.
console-audit-actor = Pelaku (nama pengguna)
console-audit-action = Aksi
console-audit-count = { $count } catatan
console-audit-col-at = Waktu (WIB)
console-audit-col-actor = Pelaku
console-audit-col-action = Aksi
console-audit-col-target = Sasaran
console-audit-col-details = Rincian
console-audit-col-ip = Alamat IP
console-actor-user = petugas
console-actor-token = token API
console-actor-citizen = warga
console-actor-system = sistem
console-action-console-login = Masuk konsol
console-action-console-login_failed = Gagal masuk
console-action-console-login_blocked = Masuk diblokir sementara
console-action-api-auth_blocked = Token API salah berulang kali, ditolak sementara
console-action-console-logout = Keluar konsol
console-action-registration-submitted = Permintaan diajukan
console-action-registration-viewed = Data permintaan dilihat
console-action-registration-approved = Permintaan disetujui
console-action-registration-rejected = Permintaan ditolak
console-action-document-viewed = Foto dokumen dilihat
console-action-report-exported = Rekapitulasi diunduh
console-action-user-created = Pengguna dibuat
console-action-user-activated = Pengguna diaktifkan
console-action-user-deactivated = Pengguna dinonaktifkan
console-action-user-password_changed = Kata sandi diganti
console-action-token-created = Token API dibuat
console-action-token-revoked = Token API dicabut
console-action-consent-given = Persetujuan warga dicatat

## Users and tokens
console-users-title = Pengguna Konsol
console-users-col-status = Status
console-users-col-last-login = Terakhir masuk
console-users-col-actions = Tindakan
console-users-active = Aktif
console-users-inactive = Nonaktif
console-users-activate = Aktifkan
console-users-deactivate = Nonaktifkan
console-users-add = Tambah pengguna
console-users-add-submit = Tambah pengguna
console-users-created = Pengguna { $username } sudah dibuat.
console-users-activated = Pengguna { $username } sudah diaktifkan.
console-users-deactivated = Pengguna { $username } sudah dinonaktifkan dan semua sesinya diakhiri.
console-tokens-title = Token API
console-tokens-intro = Token dipakai sistem lain milik Pemkot untuk mengakses /api/v1. Token hanya ditampilkan satu kali saat dibuat; yang disimpan hanya sidik (hash)-nya.
console-tokens-col-name = Nama
console-tokens-col-created = Dibuat
console-tokens-col-used = Terakhir dipakai
console-tokens-revoke = Cabut
console-tokens-revoked = Token { $name } sudah dicabut.
console-tokens-revoked-at = Dicabut { $when }
console-tokens-add = Buat token
console-tokens-add-submit = Buat token
console-tokens-created = Token baru
console-tokens-copy-now = Salin token ini sekarang. Token tidak akan ditampilkan lagi.

## Settings
console-settings-title = Pengaturan
console-settings-intro = Pengaturan dibaca dari variabel lingkungan (TLIVE_*) saat layanan dimulai. Ubah di sana, lalu jalankan ulang layanan.
console-settings-sla = Batas waktu verifikasi (jam)
console-settings-retention = Simpan foto setelah keputusan (hari)
console-settings-helpdesk-hours = Jam layanan helpdesk
console-settings-helpdesk-days = Hari layanan helpdesk
console-settings-telegram = Kanal Telegram aktif
console-settings-whatsapp = Kanal WhatsApp aktif
console-settings-database = Basis data
console-settings-public-url = Alamat publik

# Issue 14: a request sent by a family member helping (registrations.flags.helper).
console-field-registered_by = Didaftarkan oleh
console-registered-by-self = Pemohon sendiri
console-registered-by-helper = Keluarga yang membantu, lewat obrolannya
console-flag-helper = Didaftarkan oleh keluarga yang membantu. Pastikan wajah di selfie adalah pemilik KTP, bukan yang membantu.
console-flag-short-helper = Dibantu keluarga
console-earlier-other-person = orang lain dari obrolan yang sama
