# Helpdesk handoff: what citizens are told, and the console's Chats pages.

## Citizens
btn-leave-queue = ❌ Batal panggil
# A sentence asks for a person when it has one of these words (comma-separated, case and
# punctuation ignored)…
keywords-person = petugas, operator, manusia, orang asli, cs, customer service, helpdesk, call center
# …and one of these.
keywords-person-ask = bicara, ngobrol, sambungkan, hubungkan, hubungi, minta, mau, ingin, pengen, butuh, perlu, tolong, chat, telepon

handoff-voice =
    Maaf, saya belum bisa mendengar pesan suara, jadi saya panggilkan petugas helpdesk.
    Antrean Bapak/Ibu: nomor { $position }.
    { $hours }
    Sambil menunggu, silakan ketik pesan Bapak/Ibu.
handoff-failures =
    Sepertinya langkah ini sulit. Saya sudah memanggil petugas helpdesk untuk membantu Bapak/Ibu.
    Antrean Bapak/Ibu: nomor { $position }.
    { $hours }
    Sambil menunggu, Bapak/Ibu boleh mencoba lagi.
handoff-photo-kept = Terima kasih, foto Bapak/Ibu sudah kami simpan untuk petugas helpdesk.
handoff-left = Baik, permintaan bicara dengan petugas sudah dibatalkan.
handoff-withdrawn =
    Bagus, langkah ini sudah berhasil! Permintaan bantuan petugas saya batalkan.
    Ketik "petugas" kalau Bapak/Ibu masih perlu bantuan.
handoff-agent-joined = 👤 Petugas helpdesk sudah bergabung. Silakan sampaikan pertanyaan Bapak/Ibu di sini.
handoff-agent-left = Petugas sudah selesai membantu. Bapak/Ibu kembali dilayani asisten otomatis.
handoff-requeued =
    Maaf, petugas sedang tidak tersedia. Permintaan Bapak/Ibu kembali ke antrean (nomor { $position }).
    { $hours }
handoff-done-rate =
    Percakapan dengan petugas sudah selesai. Terima kasih!
    Bagaimana bantuan petugas kami? Pilih nilai 1 (buruk) sampai 5 (sangat baik).
handoff-rate-1 = 1 ⭐ Buruk
handoff-rate-2 = 2 ⭐ Kurang
handoff-rate-3 = 3 ⭐ Cukup
handoff-rate-4 = 4 ⭐ Baik
handoff-rate-5 = 5 ⭐ Sangat baik
handoff-rated = Terima kasih atas penilaian Bapak/Ibu! 🙏

## Console: Chats
console-nav-chats = Chat
console-home-chats = Buka antrean chat
console-chats-title = Chat helpdesk
console-chats-intro = Chat yang Anda pegang tampil paling atas, lalu antrean warga yang menunggu (paling lama di atas). Chat yang tidak Anda sentuh selama { $minutes } menit saat konsol tertutup kembali ke antrean.
console-chats-connecting = Menyambung…
console-chats-live = Langsung
console-chats-reconnecting = Terputus, menyambung ulang…
console-chats-col-chat = Chat
console-chats-col-channel = Kanal
console-chats-col-reason = Alasan
console-chats-col-wait = Menunggu
console-chats-col-status = Status
console-chats-col-actions = Tindakan
console-chats-col-last = Pesan terakhir
console-chats-no-name = (tanpa nama)
console-chats-preview-photo = 📷 Foto
console-chats-preview-voice = 🎤 Pesan suara
console-chats-preview-location = 📍 Lokasi
console-chats-preview-sticker = Stiker
console-chats-preview-unsupported = (jenis pesan lain)
console-chats-alert-label = Bunyi dan notifikasi bila ada warga baru menunggu
console-chats-alert-title = Ada warga menunggu petugas
console-chats-alert-body = { $count } chat menunggu di antrean.
console-chats-alert-blocked = Notifikasi diblokir peramban; hanya bunyi yang dipakai.
console-chat-deadline = Batas verifikasi
console-chat-reject-reason = Alasan ditolak
console-chat-overdue = lewat batas
console-chats-take = Ambil chat
console-chats-open = Buka
console-chats-empty = Tidak ada warga yang menunggu.
console-chats-sending = Mengirim…
console-chats-sent = Terkirim.
console-chats-send-failed = Gagal mengirim. Coba lagi.
console-chats-status-queued = Menunggu petugas
console-chats-status-mine = Anda pegang
console-chats-status-held = Dipegang { $agent }
console-chats-state-queued = Menunggu petugas ({ $reason }). Ambil chat ini untuk membalas.
console-chats-state-mine = Anda memegang chat ini. Asisten otomatis diam selama Anda memegangnya.
console-chats-state-held = Dipegang petugas { $agent }.
console-chats-state-bot = Chat sudah kembali ke asisten otomatis.
console-chats-reason-asked = warga meminta petugas
console-chats-reason-faq = FAQ tidak bisa menjawab
console-chats-reason-failures = gagal 3 kali di satu langkah
console-chats-reason-voice = mengirim pesan suara
console-chats-author-citizen = Warga
console-chats-author-bot = Asisten
console-chats-author-system = Sistem
console-chats-author-agent = Petugas { $agent }
console-chats-author-note = Catatan internal · { $agent }
console-chats-author-system-note = Catatan sistem
console-chats-delivery-pending = ⏳ menunggu dikirim
console-chats-delivery-sent = ✓ terkirim
console-chats-delivery-delivered = ✓✓ diterima
console-chats-delivery-read = ✓✓ dibaca
console-chats-delivery-failed = ✗ gagal
console-chats-delivery-failed-because = ✗ gagal: { $error }
console-chats-kind-photo = (foto)
console-chats-kind-voice = (pesan suara — tidak bisa diputar; minta warga mengetik)
console-chats-kind-sticker = (stiker)
console-chats-kind-location = (lokasi)
console-chats-kind-unsupported = (pesan yang tidak bisa dibaca)
console-chats-claimed = Chat sudah Anda ambil. Warga diberi tahu.
console-chats-transferred = Chat dialihkan ke { $agent }.
console-chats-released = Chat dikembalikan ke asisten. Asisten menanyakan lagi langkah warga.
console-chats-closed = Chat ditutup. Warga diminta memberi nilai.
console-chats-note-transferred = { $by } mengalihkan chat ini ke { $to }.
console-chats-note-requeued = Kembali ke antrean: { $agent } tidak aktif terlalu lama.
console-chats-error-not_found = Chat tidak ditemukan.
console-chats-error-not_visible = Chat ini dipegang petugas lain atau sudah selesai.
console-chats-error-taken = Chat ini sudah diambil petugas lain.
console-chats-error-not_queued = Chat ini tidak sedang menunggu petugas.
console-chats-error-not_held = Chat ini tidak sedang dipegang petugas.
console-chats-error-not_holder = Chat ini dipegang petugas lain.
console-chats-error-same_agent = Chat ini sudah dipegang petugas tersebut.
console-chats-error-empty = Pesan masih kosong.
console-chats-error-photo_refused = Foto tidak bisa dibaca. Kirim foto JPEG, PNG atau WebP.
console-chats-error-canned_not_found = Jawaban siap pakai tidak ditemukan.
console-chats-error-canned_empty = Judul dan isi jawaban wajib diisi.
console-chats-error-no_such_agent = Petugas tujuan tidak ditemukan atau tidak aktif.
console-chats-error-forbidden = Anda tidak berwenang melakukan ini.
console-chats-step-consent = Persetujuan data
console-chats-step-full_name = Nama lengkap
console-chats-step-nik = NIK
console-chats-step-birth_date = Tanggal lahir
console-chats-step-phone = Nomor HP
console-chats-step-kecamatan = Kecamatan
console-chats-step-kelurahan = Kelurahan
console-chats-step-ktp = Foto KTP/resi
console-chats-step-selfie = Selfie dengan KTP
console-chats-step-summary = Ringkasan, siap dikirim
console-chats-step-edit = Mengubah data
console-chats-flow-registration = Pendaftaran
console-chats-flow-faq = Tanya (FAQ)
console-chats-flow-privacy = Data pribadi
console-chats-flow-menu = Menu utama
console-chat-title = Chat #{ $id }
console-chat-history = Riwayat percakapan
console-chat-photo-alt = Foto dalam percakapan
console-chat-reply-label = Balasan untuk warga (Ctrl+Enter mengirim)
console-chat-canned = Jawaban siap pakai
console-chat-canned-none = — pilih —
console-chat-photo = Lampirkan foto
console-chat-send = Kirim ke warga
console-chat-note = Simpan sebagai catatan internal
console-chat-release = Kembalikan ke asisten
console-chat-close = Tutup chat
console-chat-transfer-to = Alihkan ke
console-chat-transfer = Alihkan
console-chat-citizen = Data warga
console-chat-step = Langkah sekarang
console-chat-documents = Foto tersimpan
console-chat-back = ← Kembali ke antrean chat
console-canned-title = Jawaban siap pakai
console-canned-intro = Jawaban yang bisa dipilih petugas saat membalas warga. Tulis dengan bahasa yang sederhana.
console-canned-field-title = Judul
console-canned-field-text = Isi jawaban
console-canned-save = Simpan
console-canned-delete = Hapus
console-canned-empty = Belum ada jawaban siap pakai.
console-canned-add = Tambah jawaban
console-canned-saved = Jawaban siap pakai disimpan.
console-canned-deleted = Jawaban siap pakai dihapus.
console-action-chat-viewed = Chat dibuka
console-action-chat-claimed = Chat diambil petugas
console-action-chat-replied = Petugas membalas warga
console-action-chat-noted = Catatan internal ditambahkan
console-action-chat-transferred = Chat dialihkan
console-action-chat-released = Chat dikembalikan ke asisten
console-action-chat-closed = Chat ditutup
console-action-chat-requeued = Chat kembali ke antrean (petugas tidak aktif)
console-action-chat-rated = Warga memberi nilai
console-action-chat-photo_viewed = Foto chat dilihat
console-action-canned-created = Jawaban siap pakai dibuat
console-action-canned-updated = Jawaban siap pakai diubah
console-action-canned-deleted = Jawaban siap pakai dihapus
