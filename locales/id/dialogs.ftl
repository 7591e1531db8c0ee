# Menu, help, status and helpdesk messages.
menu-greeting =
    Halo! Saya Asisten Tangerang LIVE. 👋
    Saya bantu Bapak/Ibu mendaftar dan verifikasi akun Tangerang LIVE.
    Pilih salah satu, atau ketik angkanya:
menu-prompt = Silakan pilih salah satu, atau ketik angkanya:

help-text =
    Cara memakai asisten ini:
    • Tekan tombol, atau ketik angkanya (1, 2, …).
    • Ketik "menu" untuk kembali ke menu utama.
    • Ketik "batal" untuk berhenti. Data yang sudah diisi tetap tersimpan.
    • Ketik "status" untuk melihat status pendaftaran.
    • Ketik "petugas" untuk bicara dengan petugas.
help-voice = • Ketik "dengarkan" untuk mendengar pesan terakhir. Ketik "suara" agar semua pesan bersuara.
help-phone = • Telepon helpdesk: { $phone }
help-whatsapp = • WhatsApp helpdesk: { $number }
help-days = { $first }–{ $last }
help-hours = • Petugas melayani { $days }, pukul { $opens }–{ $closes } WIB.

unsupported-voice = Maaf, saya belum bisa mendengar pesan suara. Silakan ketik pesan Bapak/Ibu.
unsupported-sticker = Terima kasih stikernya! 😊 Silakan tekan tombol atau ketik jawaban Bapak/Ibu.
unsupported-location = Terima kasih. Saya tidak memerlukan lokasi. Silakan ketik jawaban Bapak/Ibu.
unsupported-other = Maaf, jenis pesan ini belum bisa saya baca. Silakan ketik pesan atau kirim foto.
photo-unexpected = Terima kasih fotonya. Saat ini saya belum memerlukan foto.

status-none = Bapak/Ibu belum punya pendaftaran. Tekan "Daftar akun" untuk mulai.
status-draft =
    Pendaftaran Bapak/Ibu ({ $reference }) belum lengkap.
    Lanjutkan supaya bisa kami periksa.
status-submitted =
    Pendaftaran { $reference } sedang menunggu verifikasi sejak { $since }.
    { $overdue ->
        [yes] Maaf, pemeriksaan sedang lebih lama dari biasanya. Petugas akan segera memeriksa.
       *[no] Petugas akan memeriksa paling lambat { $deadline }.
    }
status-approved =
    Selamat! Pendaftaran { $reference } sudah disetujui ({ $when }).
    Bapak/Ibu sudah bisa memakai semua layanan Tangerang LIVE.
status-rejected =
    Pendaftaran { $reference } ditolak.
    Alasan: { $reason }{ $note }
    { $fix }
    Tekan "Daftar ulang" untuk memperbaiki.

decision-approved =
    ✅ Selamat! Pendaftaran { $reference } sudah disetujui.
    Sekarang Bapak/Ibu bisa masuk ke aplikasi Tangerang LIVE dan memakai semua layanannya.
decision-rejected =
    ❌ Maaf, pendaftaran { $reference } belum bisa disetujui.
    Alasan: { $reason }{ $note }
    { $fix }
    Tekan "Daftar ulang" untuk memperbaiki. Data lain tidak perlu diisi lagi.

decision-note = {" "}(catatan petugas: { $note })
reject-reason-ktp_blurry = foto KTP buram
reject-reason-ktp_unreadable = tulisan di KTP tidak terbaca
reject-reason-face_not_visible = wajah tidak terlihat jelas
reject-reason-selfie_without_ktp = selfie tanpa KTP
reject-reason-data_mismatch = data tidak sesuai KTP
reject-reason-not_ktp = dokumen bukan KTP atau resi
reject-reason-other = alasan lain
reject-fix-ktp_blurry = Foto ulang KTP di tempat terang. Pegang HP dengan diam sampai foto jelas.
reject-fix-ktp_unreadable = Foto ulang KTP dari dekat. Pastikan semua tulisan terbaca dan tidak silau.
reject-fix-face_not_visible = Foto ulang selfie. Wajah menghadap kamera, tanpa masker dan kacamata hitam.
reject-fix-selfie_without_ktp = Foto ulang selfie sambil memegang KTP di bawah dagu.
reject-fix-data_mismatch = Periksa lagi nama, NIK dan tanggal lahir. Tulis persis seperti di KTP.
reject-fix-not_ktp = Kirim foto KTP-el asli atau resi KTP-el, bukan dokumen lain.
reject-fix-other = Baca catatan petugas, lalu perbaiki data Bapak/Ibu.

handoff-queued =
    Baik, permintaan Bapak/Ibu sudah diteruskan ke petugas helpdesk.
    Antrean Bapak/Ibu: nomor { $position }.
    { $hours }
handoff-open = Petugas akan segera membalas di sini.
handoff-closed = Saat ini di luar jam layanan. Petugas akan membalas mulai { $day } pukul { $time } WIB.

faq-ask-prompt = Silakan ketik pertanyaan Bapak/Ibu dengan kata-kata sendiri.
faq-did-you-mean = Maksud Bapak/Ibu salah satu ini? Pilih yang paling cocok:
faq-option = { $question }
faq-no-answer = Maaf, saya belum tahu jawabannya. Bapak/Ibu bisa bertanya lagi dengan kata lain, atau bicara dengan petugas.
faq-helpful = { $answers ->
        [2] Apakah kedua jawaban ini membantu?
       *[other] Apakah jawaban ini membantu?
    }
faq-glad = Syukurlah. Ada lagi yang bisa saya bantu?
faq-glad-resume = Syukurlah. Mari lanjutkan pendaftaran.
faq-sorry = Maaf jawabannya belum membantu. Mau bicara dengan petugas?
faq-unhelpful-options =
    Maaf jawabannya belum membantu.
    Mungkin maksud Bapak/Ibu salah satu ini? Bisa juga bicara dengan petugas.
faq-back-to-flow = Sekarang kita lanjutkan pendaftaran.

privacy-nothing = Kami tidak menyimpan data pribadi Bapak/Ibu. Hanya ada riwayat obrolan ini ({ $messages } pesan).
privacy-summary =
    Data Bapak/Ibu yang kami simpan:
    { $registrations }
    • Foto (KTP/resi dan selfie) tersimpan: { $photos }
    • Persetujuan diberikan: { $consent }
    Foto dihapus otomatis { $days } hari setelah keputusan. Semua data disimpan terenkripsi.
privacy-registration = • { $reference } ({ $status }): { $name }, NIK { $nik }, HP { $phone }, { $place }
privacy-status-draft = belum lengkap
privacy-status-submitted = menunggu verifikasi
privacy-status-approved = disetujui
privacy-status-rejected = ditolak
privacy-confirm-erase =
    Yakin ingin menghapus semua data Bapak/Ibu?
    Nama, NIK, nomor HP, foto dan riwayat obrolan akan dihapus, dan persetujuan Bapak/Ibu dicabut.
    Pendaftaran yang belum diputuskan ikut dibatalkan. Yang tersisa hanya catatan bahwa penghapusan ini terjadi.
privacy-erased = Data Bapak/Ibu sudah dihapus. Terima kasih. Bapak/Ibu bisa mendaftar lagi kapan saja.

# --- Greeting on first contact, "daftar" after sending, FAQ follow-up buttons (h6)
menu-welcome = Halo! Saya Asisten Tangerang LIVE. 👋 Saya bantu Bapak/Ibu mendaftar akun Tangerang LIVE.
status-register-again-submitted =
    Pendaftaran { $reference } sudah terkirim pada { $since }. Bapak/Ibu tidak perlu mendaftar lagi.
    { $overdue ->
        [yes] Pemeriksaan sedang lebih lama dari biasanya. Petugas akan segera memeriksa.
       *[no] Petugas memeriksa paling lambat { $deadline }.
    }
    Hasilnya kami kirim lewat obrolan ini. Mohon ditunggu.
status-register-again-approved =
    Akun Bapak/Ibu sudah terverifikasi sejak { $when } ({ $reference }).
    Bapak/Ibu tidak perlu mendaftar lagi.
faq-action-register = 📝 Mulai daftar
faq-action-status = 🔎 Cek status saya
faq-action-agent = 👤 Hubungi petugas
